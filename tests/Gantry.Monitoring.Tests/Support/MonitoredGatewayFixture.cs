using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Support;

/// <summary>
/// One gateway shared by a test class, with a known local capacity (4 cores, 8 GiB) and job counts
/// refreshed at every scrape, so a test sees its own jobs counted within a scrape or two.
/// </summary>
public sealed class MonitoredGatewayFixture : IAsyncLifetime
{
    public TestGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await StartGatewayAsync();

    /// <summary>A gateway of its own, for a test that reads the cluster's exact free capacity or the pool's shares.</summary>
    public static Task<TestGateway> StartGatewayAsync() => TestGateway.StartAsync(new Dictionary<string, string?>
    {
        ["Gantry:Local:Cpu"] = "4",
        ["Gantry:Local:Memory"] = "8Gi",
        ["Gantry:Metrics:JobCountsMaxAgeMilliseconds"] = "0",
    });

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
