using System.Diagnostics;

namespace Gantry.Bench.Load;

/// <summary>What the run saw: outcomes by status, latencies of measured requests, the ids answered 201.</summary>
/// The success status is 201 for submissions, 200 for metric pushes.
internal sealed class Recorder(int successStatus = 201)
{
    private readonly Lock _lock = new();
    private readonly List<double> _latenciesMs = new(1 << 16);
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _ids = new(1 << 16);
    private long _sent;
    private long _created;
    private long _measuredSent;
    private long _measuredCreated;
    private long _lastMeasuredCompletion;

    public long Sent => Interlocked.Read(ref _sent);

    public void Started() => Interlocked.Increment(ref _sent);

    /// <summary>One finished request. <paramref name="startTicks"/> is the scheduled (open loop) or actual (closed loop) send time.</summary>
    public void Completed(long startTicks, long endTicks, bool measured, int status, string? id, string? error)
    {
        lock (_lock)
        {
            if (measured)
            {
                _measuredSent++;
            }
            if (status == successStatus)
            {
                _created++;
                if (id is not null)
                {
                    _ids.Add(id);
                }
                if (measured)
                {
                    _measuredCreated++;
                    _latenciesMs.Add(Stopwatch.GetElapsedTime(startTicks, endTicks).TotalMilliseconds);
                    _lastMeasuredCompletion = Math.Max(_lastMeasuredCompletion, endTicks);
                }
            }
            else
            {
                var key = error ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                _errors[key] = _errors.GetValueOrDefault(key) + 1;
            }
        }
    }

    public Result Summarize(LoadOptions options, long measureStartTicks, long measureEndTicks, long unfinished)
    {
        lock (_lock)
        {
            var sorted = _latenciesMs.ToArray();
            Array.Sort(sorted);
            // Submissions/s: the measured 201s over the measured window, stretched to the last of
            // them if it finished after the window closed (so a backlog does not flatter the rate).
            var windowEnd = Math.Max(measureEndTicks, _lastMeasuredCompletion);
            var seconds = Stopwatch.GetElapsedTime(measureStartTicks, windowEnd).TotalSeconds;
            return new Result
            {
                Label = options.Label,
                Mode = options.OpenLoop ? "open" : "closed",
                TargetRate = options.Rate,
                Concurrency = options.EffectiveConcurrency,
                Connections = options.EffectiveConnections,
                DurationSeconds = options.Duration.TotalSeconds,
                WarmupSeconds = options.Warmup.TotalSeconds,
                Sent = _sent,
                Created = _created,
                MeasuredSent = _measuredSent,
                MeasuredCreated = _measuredCreated,
                Unfinished = unfinished,
                Errors = new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
                SubmissionsPerSecond = seconds > 0 ? _measuredCreated / seconds : 0,
                P50Ms = Percentile(sorted, 0.50),
                P90Ms = Percentile(sorted, 0.90),
                P99Ms = Percentile(sorted, 0.99),
                MaxMs = sorted.Length > 0 ? sorted[^1] : 0,
            };
        }
    }

    public IReadOnlyList<string> Ids()
    {
        lock (_lock)
        {
            return _ids.ToArray();
        }
    }

    private static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        // Nearest rank: the smallest value with at least q of the samples at or below it.
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

internal sealed class Result
{
    public string Label { get; init; } = "";
    public string Mode { get; init; } = "";
    public double? TargetRate { get; init; }
    public int Concurrency { get; init; }
    public int Connections { get; init; }
    public double DurationSeconds { get; init; }
    public double WarmupSeconds { get; init; }
    public long Sent { get; init; }
    public long Created { get; init; }
    public long MeasuredSent { get; init; }
    public long MeasuredCreated { get; init; }
    public long Unfinished { get; init; }
    public SortedDictionary<string, long> Errors { get; init; } = [];
    public double SubmissionsPerSecond { get; init; }
    public double P50Ms { get; init; }
    public double P90Ms { get; init; }
    public double P99Ms { get; init; }
    public double MaxMs { get; init; }
    public double ClientCpuMs { get; set; }
    public long? VerifyExpected { get; set; }
    public long? VerifyFound { get; set; }
}
