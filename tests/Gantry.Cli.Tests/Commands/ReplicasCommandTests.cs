using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary><c>gantry replicas</c> against a real gateway.</summary>
public sealed class ReplicasCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Replicas_shows_the_gateway_as_the_leader_with_its_epoch_and_refuses_a_user()
    {
        var admin = new CliRunner(_gateway);
        // The replica's first heartbeat follows the lease; poll for it rather than guess a time.
        var (code, output) = (0, "");
        await Polling.UntilAsync(async () =>
        {
            (code, output) = await admin.RunAsync("replicas");
            return output.Contains("yes", StringComparison.Ordinal);
        }, "gantry replicas showing the leader");
        var name = $"cli-rep-{Guid.NewGuid().ToString("N")[..6]}";
        var (_, created) = await admin.RunAsync("users", "create", name);
        var user = new CliRunner(_gateway, created.Trim().Split('\n')[^1].Trim());
        var (userCode, refused) = await user.RunAsync("replicas");

        Assert.Equal(0, code);
        Assert.Contains("LEADER", output);
        Assert.Contains("EPOCH", output);
        Assert.Contains(Environment.MachineName, output);
        Assert.Contains("yes", output);
        Assert.DoesNotContain("No replica leads", output);
        Assert.Equal(1, userCode);
        Assert.Contains("403", refused);
    }
}
