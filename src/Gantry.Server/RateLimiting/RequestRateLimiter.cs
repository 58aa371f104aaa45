using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Gantry.Server.Auth;
using Gantry.Server.Monitoring;
using Gantry.Server.Options;
using Microsoft.Extensions.Options;

namespace Gantry.Server.RateLimiting;

/// <summary>
/// The gateway's token buckets (System.Threading.RateLimiting), one per user and action, and one
/// per queue for submissions. Checked inside the handlers rather than by the rate-limiting
/// middleware because the queue is only known once the body is read, and because the refusal
/// must be a problem naming its setting. Each replica keeps its own buckets (docs/security.md).
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private readonly RateLimitsOptions _options;
    private readonly RateLimitMetrics _metrics;
    private readonly ConcurrentDictionary<string, RateLimiter> _buckets = new(StringComparer.Ordinal);

    public RequestRateLimiter(IOptions<GantryOptions> options, RateLimitMetrics metrics)
    {
        _options = options.Value.RateLimits;
        _metrics = metrics;
    }

    /// <summary>One submission by <paramref name="caller"/>; throws <see cref="RateLimitedException"/> past the caller's bucket.</summary>
    public void Submission(Caller caller) =>
        Take("submission", "user", $"submit:{caller.Name}", Role(_options.Submissions, caller), $"Gantry:RateLimits:Submissions:{RoleName(caller)}",
            $"{caller.Name} submits faster than");

    /// <summary>One submission into <paramref name="queue"/>.</summary>
    public void QueueSubmission(string queue)
    {
        var (bucket, setting) = _options.Queues.TryGetValue(queue, out var own)
            ? (own, $"Gantry:RateLimits:Queues:{queue}")
            : (_options.Queue, "Gantry:RateLimits:Queue");
        Take("submission", "queue", $"queue:{queue}", bucket, setting, $"queue {queue} takes submissions faster than");
    }

    /// <summary>One metrics push by <paramref name="caller"/>; a job's own token has a bucket of its own, sized as its owner's role says.</summary>
    public void MetricPush(Caller caller) =>
        Take("metrics", "user", $"metrics:{caller.JobId ?? caller.Name}", Role(_options.MetricPushes, caller), $"Gantry:RateLimits:MetricPushes:{RoleName(caller)}",
            caller.JobId is null ? $"{caller.Name} pushes metrics faster than" : $"job {caller.JobId} pushes metrics faster than");

    private void Take(string action, string scope, string key, BucketOptions bucket, string setting, string who)
    {
        if (bucket.PerMinute <= 0)
        {
            return;
        }
        var limiter = _buckets.GetOrAdd(key, _ => Create(bucket));
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return;
        }
        _metrics.Limited(action, scope);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60.0 / bucket.PerMinute);
        throw new RateLimitedException(setting, bucket.PerMinute, retryAfter,
            $"{who} {bucket.PerMinute} a minute (bursts of {bucket.Burst}); retry after {Math.Ceiling(retryAfter.TotalSeconds)} s ({setting})");
    }

    private static TokenBucketRateLimiter Create(BucketOptions bucket)
    {
        // A whole token per period: below 60 a minute the period grows instead of the tokens shrinking.
        var (tokens, period) = bucket.PerMinute >= 60
            ? (bucket.PerMinute / 60, TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(60.0 / bucket.PerMinute));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, bucket.Burst),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static BucketOptions Role(RoleBuckets buckets, Caller caller) => caller.IsAdmin ? buckets.Admin : buckets.User;

    private static string RoleName(Caller caller) => caller.IsAdmin ? "Admin" : "User";

    public void Dispose()
    {
        foreach (var limiter in _buckets.Values)
        {
            limiter.Dispose();
        }
    }
}
