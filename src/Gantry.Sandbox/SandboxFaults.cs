namespace Gantry.Sandbox;

/// <summary>
/// Faults a test turns on to see how clients cope: an API server that hangs, one that answers
/// every request with 500 or 429, watches cut mid-stream, and a watch history that has expired.
/// </summary>
public sealed class SandboxFaults
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _cleared = NewCleared();
    private int? _failStatus;
    private bool _unresponsive;

    internal event Action? WatchesDropped;

    internal event Action? HistoryExpired;

    /// <summary>Requests hang until <see cref="Clear"/> or until the client gives up.</summary>
    public bool Unresponsive
    {
        get
        {
            lock (_gate)
            {
                return _unresponsive;
            }
        }
        set
        {
            lock (_gate)
            {
                _unresponsive = value;
                if (!value)
                {
                    _cleared.TrySetResult();
                    _cleared = NewCleared();
                }
            }
        }
    }

    /// <summary>
    /// The simulated operators stand still (as if their deployments were scaled to zero): custom
    /// resources are stored but get no status, no pods, no progress until this is cleared. Pods
    /// already made keep running. <see cref="Clear"/> does not end it.
    /// </summary>
    public bool OperatorsPaused { get; set; }

    /// <summary>The status every request now gets (500, or 429 with Retry-After), or null.</summary>
    public int? FailStatus
    {
        get
        {
            lock (_gate)
            {
                return _failStatus;
            }
        }
    }

    public void FailWith(int status)
    {
        if (status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "a fault status is an HTTP error code (4xx or 5xx)");
        }
        lock (_gate)
        {
            _failStatus = status;
        }
    }

    /// <summary>Cuts every open watch stream now (their connections are aborted).</summary>
    public void DropWatches() => WatchesDropped?.Invoke();

    /// <summary>Forgets the watch history: the next watch from an older version gets 410 Gone.</summary>
    public void ExpireHistory() => HistoryExpired?.Invoke();

    /// <summary>Ends <see cref="Unresponsive"/> and <see cref="FailWith"/>.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _failStatus = null;
        }
        Unresponsive = false;
    }

    internal Task WhenResponsive(CancellationToken ct)
    {
        lock (_gate)
        {
            return _unresponsive ? _cleared.Task.WaitAsync(ct) : Task.CompletedTask;
        }
    }

    private static TaskCompletionSource NewCleared() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
