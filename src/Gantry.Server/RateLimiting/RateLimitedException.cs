using Gantry.Core.Errors;

namespace Gantry.Server.RateLimiting;

/// <summary>A caller went past a token bucket: answered 429 with <c>Retry-After</c> and the setting that limits it.</summary>
public sealed class RateLimitedException(string setting, int perMinute, TimeSpan retryAfter, string message) : GantryException(message)
{
    public string Setting { get; } = setting;
    public int PerMinute { get; } = perMinute;
    public TimeSpan RetryAfter { get; } = retryAfter;
}
