namespace Gantry.Sandbox.Simulation;

/// <summary>One container's output: lines with their times, and a signal for followers when more arrive.</summary>
internal sealed class PodLog
{
    private const int MaxLines = 10_000;
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset Time, string Text)> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dropped;

    public bool Closed { get; private set; }

    public void Append(DateTimeOffset time, string text)
    {
        lock (_gate)
        {
            if (Closed)
            {
                return;
            }
            _lines.Add((time, text));
            if (_lines.Count > MaxLines)
            {
                _lines.RemoveAt(0);
                _dropped++;
            }
            Signal();
        }
    }

    /// <summary>The container stopped: followers read what is left and end.</summary>
    public void Close()
    {
        lock (_gate)
        {
            Closed = true;
            Signal();
        }
    }

    /// <summary>Lines from absolute position <paramref name="from"/> on, the next position, whether the log is closed, and a task that completes on change.</summary>
    public (List<(DateTimeOffset Time, string Text)> Lines, int Next, bool Closed, Task Changed) Read(int from)
    {
        lock (_gate)
        {
            var start = Math.Max(from - _dropped, 0);
            return ([.. _lines.Skip(start)], _dropped + _lines.Count, Closed, _changed.Task);
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
