using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary><c>gantry queues create|set|delete</c> against a real gateway, checked through the API.</summary>
public sealed class QueueCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task An_admin_creates_changes_and_deletes_a_queue_from_the_cli()
    {
        var cli = new CliRunner(_gateway);
        var name = "cli-q-" + Guid.NewGuid().ToString("N")[..6];
        using var client = _gateway.Client();

        var (createCode, created) = await cli.RunAsync(
            "queues", "create", name, "--weight", "3", "--priority", "2", "--cpu", "8", "--memory", "16Gi", "--running-jobs", "4",
            "--selector", "region=eu", "--affinity", "gpu=a100", "--policy", "LabelAffinity");
        Assert.True(createCode == 0, created);
        var queue = JsonNode.Parse(await client.GetStringAsync($"api/v1/queues/{name}"))!;
        Assert.Equal(3, queue["weight"]!.GetValue<double>());
        Assert.Equal(2, queue["priority"]!.GetValue<int>());
        Assert.Equal("8", queue["quota"]!["cpu"]!.GetValue<string>());
        Assert.Equal(4, queue["quota"]!["runningJobs"]!.GetValue<int>());
        Assert.Equal("eu", queue["clusterSelector"]!["region"]!.GetValue<string>());
        Assert.Equal("a100", queue["affinity"]!["gpu"]!.GetValue<string>());
        Assert.Equal("LabelAffinity", queue["policy"]!.GetValue<string>());

        // set changes only what it is given; 'none' lifts a limit, k- drops a label.
        var (setCode, set) = await cli.RunAsync("queues", "set", name, "--weight", "5", "--cpu", "none", "--affinity", "gpu-", "--affinity", "zone=b");
        Assert.True(setCode == 0, set);
        queue = JsonNode.Parse(await client.GetStringAsync($"api/v1/queues/{name}"))!;
        Assert.Equal(5, queue["weight"]!.GetValue<double>());
        Assert.Equal(2, queue["priority"]!.GetValue<int>());
        Assert.Null(queue["quota"]!["cpu"]);
        Assert.NotNull(queue["quota"]!["memory"]);
        Assert.Equal(4, queue["quota"]!["runningJobs"]!.GetValue<int>());
        Assert.Equal("eu", queue["clusterSelector"]!["region"]!.GetValue<string>());
        Assert.Equal("""{"zone":"b"}""", queue["affinity"]!.ToJsonString());

        var (listCode, list) = await cli.RunAsync("queues");
        Assert.Equal(0, listCode);
        Assert.Contains(name, list);

        var (deleteCode, deleted) = await cli.RunAsync("queues", "delete", name);
        Assert.True(deleteCode == 0, deleted);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"api/v1/queues/{name}")).StatusCode);
    }

    [Fact]
    public async Task Allowed_users_and_groups_are_added_and_removed_from_the_cli_and_listed()
    {
        var cli = new CliRunner(_gateway);
        var name = "cli-acl-" + Guid.NewGuid().ToString("N")[..6];
        using var client = _gateway.Client();

        var (createCode, created) = await cli.RunAsync("queues", "create", name, "--allow-user", "ann", "--allow-user", "dora@example.com", "--allow-group", "ml-team");
        Assert.True(createCode == 0, created);
        var (setCode, set) = await cli.RunAsync("queues", "set", name, "--allow-user", "ann-", "--weight", "2");
        Assert.True(setCode == 0, set);
        var queue = JsonNode.Parse(await client.GetStringAsync($"api/v1/queues/{name}"))!;
        var (listCode, list) = await cli.RunAsync("queues");

        Assert.Equal(["dora@example.com"], queue["allowedUsers"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(["ml-team"], queue["allowedGroups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(0, listCode);
        Assert.Contains("groups ml-team", list);
        await cli.RunAsync("queues", "delete", name);
    }

    [Fact]
    public async Task Bad_queue_settings_print_the_servers_reason_and_exit_nonzero()
    {
        var cli = new CliRunner(_gateway);

        var (policyCode, policy) = await cli.RunAsync("queues", "create", "cli-bad-" + Guid.NewGuid().ToString("N")[..6], "--policy", "Random");
        var (missingCode, missing) = await cli.RunAsync("queues", "set", "no-such-queue", "--weight", "2");
        var (defaultCode, deleteDefault) = await cli.RunAsync("queues", "delete", "default");

        Assert.NotEqual(0, policyCode);
        Assert.Contains("policy", policy);
        Assert.Contains("Random", policy);
        Assert.NotEqual(0, missingCode);
        Assert.Contains("404", missing);
        Assert.NotEqual(0, defaultCode);
        Assert.Contains("default queue cannot be deleted", deleteDefault);
    }
}
