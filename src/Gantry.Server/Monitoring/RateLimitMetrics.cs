using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>Requests refused with 429, by action (submission, metrics) and bucket scope (user, queue): never by user name.</summary>
public sealed class RateLimitMetrics(IMetricFactory factory)
{
    private readonly Counter _limited = factory.CreateCounter(
        "gantry_rate_limited_requests_total", "Requests answered 429 because a token bucket was empty.", ["action", "scope"]);

    public void Limited(string action, string scope) => _limited.WithLabels(action, scope).Inc();
}
