namespace Gantry.Server.Options;

/// <summary>The Prometheus endpoint <c>/metrics</c> (docs/monitoring.md).</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve <c>/metrics</c> and measure HTTP requests; off, neither is done.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How old the stored jobs' counts (one GROUP BY over all jobs) may be when <c>/metrics</c> is
    /// scraped; an older count is refreshed in the background and the scrape answers with the last one.
    /// </summary>
    public int JobCountsMaxAgeMilliseconds { get; set; } = 5000;
}
