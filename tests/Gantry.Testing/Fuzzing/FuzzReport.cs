using System.Collections.Concurrent;

namespace Gantry.Testing.Fuzzing;

/// <summary>What a fuzz run saw: answers by status, every broken rule with the request that broke it, the jobs created.</summary>
public sealed class FuzzReport
{
    public ConcurrentDictionary<int, int> ByStatus { get; } = new();
    public ConcurrentDictionary<string, int> ByEndpoint { get; } = new();
    public ConcurrentQueue<string> Violations { get; } = new();
    public ConcurrentQueue<string> ServerErrors { get; } = new();

    /// <summary>Every broken rule, 5xx answers first.</summary>
    public IEnumerable<string> AllViolations => ServerErrors.Concat(Violations);
    public ConcurrentDictionary<string, byte> CreatedJobIds { get; } = new(StringComparer.Ordinal);
    private int _dropped;

    public int Requests => ByStatus.Values.Sum() + DroppedConnections;
    public int DroppedConnections => _dropped;

    public void Dropped() => Interlocked.Increment(ref _dropped);
    public TimeSpan Elapsed { get; set; }

    public string Summary() =>
        $"{Requests} requests in {Elapsed.TotalSeconds:F1} s ({Requests / Math.Max(0.001, Elapsed.TotalSeconds):F0}/s); " +
        $"by status: {string.Join(", ", ByStatus.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"))}; " +
        $"{CreatedJobIds.Count} jobs created; {ServerErrors.Count + Violations.Count} violations (a negative status: refused by Kestrel before the gateway's code)";
}
