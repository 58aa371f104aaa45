namespace Gantry.Server.Options;

/// <summary>
/// <c>Gantry:RateLimits</c>: token buckets per user (by role) on submissions and metric pushes,
/// and per queue on submissions. Generous by default: a person or a notebook loop never meets
/// them; a runaway script does (docs/security.md#rate-limits).
/// </summary>
public sealed class RateLimitsOptions
{
    public RoleBuckets Submissions { get; set; } = new()
    {
        User = new BucketOptions { PerMinute = 600, Burst = 200 },
        Admin = new BucketOptions { PerMinute = 6_000, Burst = 2_000 },
    };

    public RoleBuckets MetricPushes { get; set; } = new()
    {
        User = new BucketOptions { PerMinute = 6_000, Burst = 1_000 },
        Admin = new BucketOptions { PerMinute = 60_000, Burst = 10_000 },
    };

    /// <summary>Submissions into any one queue, whoever sends them; 0 per minute: no limit (the default).</summary>
    public BucketOptions Queue { get; set; } = new() { PerMinute = 0, Burst = 0 };

    /// <summary>Per-queue overrides of <see cref="Queue"/>, by queue name.</summary>
    public Dictionary<string, BucketOptions> Queues { get; set; } = new(StringComparer.Ordinal);
}

public sealed class RoleBuckets
{
    public BucketOptions User { get; set; } = new();
    public BucketOptions Admin { get; set; } = new();
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled at <see cref="PerMinute"/>. 0 per minute turns it off.</summary>
public sealed class BucketOptions
{
    public int PerMinute { get; set; }
    public int Burst { get; set; }
}
