using Gantry.Server.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Gantry.Server.Monitoring;

/// <summary>
/// The Prometheus side of the gateway: one registry per gateway (not prometheus-net's static default,
/// so two gateways in one process keep apart), the metrics that fill it, HTTP request metrics, and
/// <c>/metrics</c>. See docs/monitoring.md for every metric.
/// </summary>
public static class MonitoringSetup
{
    public static IServiceCollection AddGantryMonitoring(this IServiceCollection services)
    {
        services.AddSingleton(_ =>
        {
            var registry = Metrics.NewCustomRegistry();
            // Process CPU, memory, GC and thread figures, as prometheus-net's default registry has them.
            DotNetStats.Register(registry);
            return registry;
        });
        services.AddSingleton<IMetricFactory>(sp => Metrics.WithCustomRegistry(sp.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<RateLimitMetrics>();
        services.AddSingleton<SchedulerMetrics>();
        services.AddSingleton<ClusterGauges>();
        services.AddSingleton<QueueGauges>();
        services.AddSingleton<JobCountGauges>();
        services.AddSingleton<KubernetesWatchMetrics>();
        services.AddSingleton<LeaderMetrics>();
        services.AddSingleton<ExperimentMetrics>();
        services.AddSingleton<IScrapeUpdater>(sp => sp.GetRequiredService<ExperimentMetrics>());
        services.AddSingleton<IScrapeUpdater>(sp => sp.GetRequiredService<LeaderMetrics>());
        services.AddSingleton<IScrapeUpdater>(sp => sp.GetRequiredService<SchedulerMetrics>());
        services.AddSingleton<IScrapeUpdater>(sp => sp.GetRequiredService<ClusterGauges>());
        services.AddSingleton<IScrapeUpdater>(sp => sp.GetRequiredService<QueueGauges>());
        services.AddSingleton<IScrapeUpdater>(sp => sp.GetRequiredService<JobCountGauges>());
        return services;
    }

    /// <summary>
    /// Measures every request by its route template (<c>/api/v1/jobs/{id}</c>, never the id itself).
    /// Goes after routing, which is what makes the template known.
    /// </summary>
    public static WebApplication UseGantryHttpMetrics(this WebApplication app, MetricsOptions options)
    {
        if (options.Enabled)
        {
            var factory = app.Services.GetRequiredService<IMetricFactory>();
            app.UseHttpMetrics(http => http.SetMetricFactory(factory));
        }
        return app;
    }

    /// <summary><c>/metrics</c>, anonymous so Prometheus needs no token: it holds counts by queue, cluster and kind, nothing secret and no job id.</summary>
    public static WebApplication MapGantryMetrics(this WebApplication app, MetricsOptions options)
    {
        // The Kubernetes counters must hear instruments from the first backend on.
        app.Services.GetRequiredService<KubernetesWatchMetrics>();
        if (!options.Enabled)
        {
            return app;
        }
        var registry = app.Services.GetRequiredService<CollectorRegistry>();
        var updaters = app.Services.GetServices<IScrapeUpdater>().ToList();
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            foreach (var updater in updaters)
            {
                await updater.UpdateAsync(cancellationToken);
            }
        });
        app.MapMetrics("/metrics", registry).AllowAnonymous().WithDisplayName("Metrics");
        return app;
    }
}
