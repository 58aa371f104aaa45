using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Scheduling;

/// <summary>A training container that requests nothing counts the configured default (Gantry:Scheduler:DefaultContainerCpu/Memory).</summary>
public sealed class DefaultDemandTests
{
    [Theory]
    // Master + 3 Workers, no requests: 1 cpu and 1Gi each by default.
    [InlineData(null, null, 4000, 4L << 30)]
    [InlineData("250m", "512Mi", 1000, 2L << 30)]
    public async Task A_training_example_that_requests_nothing_is_counted_the_configured_default_per_container(
        string? cpu, string? memory, long cpuMillicores, long memoryBytes)
    {
        var settings = new Dictionary<string, string?>();
        if (cpu is not null)
        {
            settings["Gantry:Scheduler:DefaultContainerCpu"] = cpu;
            settings["Gantry:Scheduler:DefaultContainerMemory"] = memory;
        }
        // Cordoned, so the job stays queued and nothing runs.
        await using var gateway = await TestGateway.StartAsync(settings);
        await gateway.SetCordonAsync(true);
        using var client = gateway.Client();
        using var yaml = new StringContent(
            File.ReadAllText(SharedFiles.Example("training-operator", "pytorch_smoke-dist_pytorch_job_sendrecv.yaml")), Encoding.UTF8, "application/yaml");

        var response = await client.PostAsync("api/v1/jobs", yaml);
        var demand = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["demand"]!;

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal((cpuMillicores, memoryBytes), (demand["cpuMillicores"]!.GetValue<long>(), demand["memoryBytes"]!.GetValue<long>()));
    }
}
