namespace Gantry.Server.Monitoring;

/// <summary>Gauges worked out when Prometheus scrapes rather than kept up to date all the time.</summary>
public interface IScrapeUpdater
{
    Task UpdateAsync(CancellationToken cancellationToken);
}
