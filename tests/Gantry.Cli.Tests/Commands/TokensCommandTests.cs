using System.Text.RegularExpressions;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary><c>gantry tokens create | list | revoke</c> and <c>gantry audit</c> against a real gateway.</summary>
public sealed partial class TokensCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [GeneratedRegex("tok_[0-9a-f]{16}")]
    private static partial Regex TokenId();

    private async Task<(string Name, CliRunner Cli)> UserAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var (_, created) = await new CliRunner(_gateway).RunAsync("users", "create", name);
        return (name, new CliRunner(_gateway, created.Trim().Split('\n')[^1].Trim()));
    }

    [Fact]
    public async Task A_user_creates_lists_and_revokes_their_own_token_and_the_revoked_one_stops_working()
    {
        var (name, user) = await UserAsync("cli-tok");

        var (createCode, created) = await user.RunAsync("tokens", "create", "--expires-in", "30d", "--description", "my laptop");
        var secret = created.Trim().Split('\n')[^1].Trim();
        var id = TokenId().Match(created).Value;
        var (listCode, listed) = await user.RunAsync("tokens", "list");
        var withNew = new CliRunner(_gateway, secret);
        var (beforeCode, _) = await withNew.RunAsync("jobs");
        var (revokeCode, revoked) = await user.RunAsync("tokens", "revoke", id);
        var (afterCode, after) = await withNew.RunAsync("jobs");

        Assert.Equal(0, createCode);
        Assert.StartsWith("gty_", secret);
        Assert.Contains($"token {id} for {name}, expires ", created);
        Assert.Equal(0, listCode);
        Assert.Contains(id, listed);
        Assert.Contains("my laptop", listed);
        Assert.Contains(" *", listed);
        Assert.DoesNotContain("gty_", listed);
        Assert.Equal(0, beforeCode);
        Assert.Equal(0, revokeCode);
        Assert.Contains($"revoked {id}", revoked);
        Assert.Equal(1, afterCode);
        Assert.Contains("401", after);
    }

    [Fact]
    public async Task An_admin_creates_and_lists_another_users_tokens_and_a_user_may_not()
    {
        var (name, user) = await UserAsync("cli-other");
        var admin = new CliRunner(_gateway);

        var (createCode, created) = await admin.RunAsync("tokens", "create", "--user", name);
        var (listCode, listed) = await admin.RunAsync("tokens", "list", "--user", name);
        var (forbiddenCode, forbidden) = await user.RunAsync("tokens", "list", "--user", "admin");

        Assert.Equal(0, createCode);
        Assert.Contains("never expires", created);
        Assert.Equal(0, listCode);
        Assert.Contains(TokenId().Match(created).Value, listed);
        Assert.Equal(2, TokenId().Count(listed));
        Assert.Equal(1, forbiddenCode);
        Assert.Contains("403", forbidden);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("3 days")]
    [InlineData("9999d")]
    public async Task A_bad_duration_is_refused_naming_expiresIn(string duration)
    {
        var (code, output) = await new CliRunner(_gateway).RunAsync("tokens", "create", "--expires-in", duration);

        Assert.Equal(1, code);
        Assert.Contains("400", output);
        Assert.Contains("expiresIn", output);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_says_it_was_not_found()
    {
        var (code, output) = await new CliRunner(_gateway).RunAsync("tokens", "revoke", "tok_0000000000000000");

        Assert.Equal(1, code);
        Assert.Contains("404", output);
    }

    [Fact]
    public async Task Audit_shows_admin_actions_filtered_by_actor_and_action_and_since()
    {
        var (name, _) = await UserAsync("cli-aud");
        var admin = new CliRunner(_gateway);
        var (_, created) = await admin.RunAsync("tokens", "create", "--user", name, "--expires-in", "1h");
        var id = TokenId().Match(created).Value;
        await admin.RunAsync("tokens", "revoke", id);

        var (code, output) = await admin.RunAsync("audit", "--actor", "admin", "--action", "token", "--since", "1h");
        var (userCode, userOutput) = await admin.RunAsync("audit", "--action", "user.create", "--since", "10m");
        var (badCode, bad) = await admin.RunAsync("audit", "--since", "last tuesday");

        Assert.Equal(0, code);
        Assert.Contains("token.create", output);
        Assert.Contains("token.revoke", output);
        Assert.Contains(id, output);
        Assert.DoesNotContain("user.create", output);
        Assert.Equal(0, userCode);
        Assert.Contains(name, userOutput);
        Assert.Equal(1, badCode);
        Assert.Contains("since", bad);
    }
}
