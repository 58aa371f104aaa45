using System.Collections.Concurrent;

namespace Gantry.Testing.Fuzzing;

/// <summary>What a fuzz run saw: answers by status, every broken rule with the request that broke it, the jobs created.</summary>
public sealed class FuzzReport
{
    public ConcurrentDictionary<int, int> ByStatus { get; } = new();

    /// <summary>Answers Kestrel gave before any of Gantry's code ran (a NUL in the path, a request line past 8 KiB), by status.</summary>
    public ConcurrentDictionary<int, int> RefusedByKestrel { get; } = new();
    public ConcurrentDictionary<string, int> ByEndpoint { get; } = new();
    public ConcurrentQueue<string> Violations { get; } = new();
    public ConcurrentQueue<string> ServerErrors { get; } = new();

    /// <summary>Every broken rule, 5xx answers first.</summary>
    public IEnumerable<string> AllViolations => ServerErrors.Concat(Violations);
    public ConcurrentDictionary<string, byte> CreatedJobIds { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, byte> CreatedExperimentIds { get; } = new(StringComparer.Ordinal);
    private int _dropped;

    public int Requests => ByStatus.Values.Sum() + RefusedByKestrel.Values.Sum() + DroppedConnections;
    public int DroppedConnections => _dropped;

    public void Dropped() => Interlocked.Increment(ref _dropped);
    public TimeSpan Elapsed { get; set; }

    public string Summary() =>
        $"{Requests} requests in {Elapsed.TotalSeconds:F1} s ({Requests / Math.Max(0.001, Elapsed.TotalSeconds):F0}/s); " +
        $"by status: {Counts(ByStatus)}; refused by Kestrel: {Counts(RefusedByKestrel)}; " +
        $"{CreatedJobIds.Count} jobs and {CreatedExperimentIds.Count} experiments created; {ServerErrors.Count + Violations.Count} violations";

    private static string Counts(ConcurrentDictionary<int, int> byStatus) =>
        string.Join(", ", byStatus.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"));
}
