namespace Gantry.Testing.Fuzzing;

/// <summary>The settings of a gateway under fuzzing: buckets wide enough that the fuzzer reaches the readers, not the 429.</summary>
public static class FuzzGateway
{
    public static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Gantry:RateLimits:Submissions:Admin:PerMinute"] = "10000000",
        ["Gantry:RateLimits:Submissions:Admin:Burst"] = "10000000",
        ["Gantry:RateLimits:MetricPushes:Admin:PerMinute"] = "10000000",
        ["Gantry:RateLimits:MetricPushes:Admin:Burst"] = "10000000",
        ["Gantry:Storage:SqliteSynchronous"] = "Normal",
        // Fuzzed experiments get trials (queued on the cordoned cluster); a slow controller keeps that noise low.
        ["Gantry:Experiments:IntervalMilliseconds"] = "5000",
    };
}
