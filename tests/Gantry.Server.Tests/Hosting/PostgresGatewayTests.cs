using Gantry.Testing;

namespace Gantry.Server.Tests.Hosting;

/// <summary>The production set-up: the same gateway on PostgreSQL.</summary>
public sealed class PostgresGatewayTests
{
    [PostgresFact]
    public async Task On_PostgreSQL_a_job_runs_and_it_and_its_events_survive_a_restart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Gantry:Storage:Provider"] = "postgres",
            ["Gantry:Storage:ConnectionString"] = database.ConnectionString,
        });
        var client = gateway.Client();
        var job = await client.SubmitAsync(TestJobs.Shell("echo on-postgres"));
        Assert.Equal("Succeeded", (await client.WaitForEndAsync(job.Id())).State());

        await gateway.RestartAsync();
        client = gateway.Client();

        var again = await client.GetJobAsync(job.Id());
        Assert.Equal("Succeeded", again.State());
        Assert.Equal("on-postgres\n", await client.GetStringAsync($"api/v1/jobs/{job.Id()}/logs"));
        var events = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{job.Id()}/events"))!["items"]!.AsArray();
        Assert.Equal(4, events.Count);
        Assert.False(File.Exists(Path.Combine(gateway.DataDir, "gantry.db")), "the PostgreSQL gateway must not have used SQLite");
    }
}
