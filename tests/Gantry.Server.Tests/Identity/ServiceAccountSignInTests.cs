using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;
using k8s;

namespace Gantry.Server.Tests.Identity;

/// <summary>
/// A notebook's projected service-account token (audience gantry) signs in: TokenReview on the
/// cluster whose issuer signed it, then the namespace's user. Every refusal is a 401 saying why.
/// </summary>
public sealed class ServiceAccountSignInTests(NotebookClusterFixture fixture) : IClassFixture<NotebookClusterFixture>
{
    private async Task<(HttpStatusCode Status, JsonObject Body)> WhoAmIAsync(string token)
    {
        using var client = fixture.ClientWith(token);
        var response = await client.GetAsync("api/v1/session");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Fact]
    public async Task A_projected_token_signs_in_as_the_user_the_namespace_is_shared_with()
    {
        var (status, body) = await WhoAmIAsync(await fixture.NotebookTokenAsync("team-ann"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ann", body["user"]!["name"]!.GetValue<string>());
        Assert.Equal("user", body["user"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_submitted_with_it_is_the_users_and_goes_to_the_shared_namespace()
    {
        using var ann = fixture.ClientWith(await fixture.NotebookTokenAsync("team-ann"));

        var job = await ann.SubmitAsync(new JsonObject { ["manifest"] = TestJobs.SparkApplication("from-notebook") });
        await ann.WaitForStateAsync(job.Id(), TimeSpan.FromSeconds(60), "Submitted", "Running");
        var inTeam = await fixture.HomeAdmin.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>("sparkoperator.k8s.io", "v1beta2", "team-ann", "sparkapplications");

        Assert.Equal("ann", job["owner"]!.GetValue<string>());
        Assert.Contains(inTeam["items"]!.AsArray(), i => i!["metadata"]!["labels"]!["gantry.io/job-id"]!.GetValue<string>() == job.Id());
        (await ann.PostAsync($"api/v1/jobs/{job.Id()}/cancel", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401_saying_so()
    {
        var (status, body) = await WhoAmIAsync(await fixture.NotebookTokenAsync("team-ann", audience: "pipelines.kubeflow.org"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("did not accept it for audience 'gantry'", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("pipelines.kubeflow.org", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_401_saying_it_expired()
    {
        var token = fixture.Home.IssueServiceAccountToken("team-ann", "default-editor", [NotebookClusterFixture.Audience], DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromHours(1));

        var (status, body) = await WhoAmIAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_of_an_unregistered_clusters_issuer_is_401_naming_the_issuer()
    {
        var (status, body) = await WhoAmIAsync(await fixture.NotebookTokenAsync("team-ann", cluster: fixture.Stranger));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains($"issuer '{fixture.Stranger.Issuer}' is not the service-account issuer of any registered cluster", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_token_naming_a_registered_issuer_is_401()
    {
        // Claims copied from a real token, signature from another cluster's key: the iss only picks who reviews.
        var real = (await fixture.NotebookTokenAsync("team-ann")).Split('.');
        var other = (await fixture.NotebookTokenAsync("team-ann", cluster: fixture.Stranger)).Split('.');

        var (status, _) = await WhoAmIAsync($"{real[0]}.{real[1]}.{other[2]}");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_namespace_nobody_is_given_is_401_saying_how_to_share_it()
    {
        var (status, body) = await WhoAmIAsync(await fixture.NotebookTokenAsync("nobodys"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("gantry clusters share home --user NAME --namespace nobodys", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kubeflow_profile_namespace_signs_in_as_its_owner_created_at_first_sight()
    {
        var (status, body) = await WhoAmIAsync(await fixture.NotebookTokenAsync("kubeflow-dora"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("dora@example.com", body["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_configured_mapping_names_the_user()
    {
        var (status, body) = await WhoAmIAsync(await fixture.NotebookTokenAsync("mapped-ns"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("carol", body["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task It_cannot_mint_a_gantry_token_that_would_outlive_it()
    {
        using var ann = fixture.ClientWith(await fixture.NotebookTokenAsync("team-ann"));

        var response = await ann.PostAsJsonAsync("api/v1/tokens", new { });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("identity provider", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_asked_is_a_401_not_remembered_once_it_answers_again()
    {
        var token = await fixture.NotebookTokenAsync("team-ann");
        // The issuer is known before the cluster goes away (discovery would fail too, differently).
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(await fixture.NotebookTokenAsync("team-bob"))).Status);

        await fixture.Home.StopAsync();
        var (down, body) = await WhoAmIAsync(token);
        await fixture.Home.RestartAsync();
        var (up, _) = await WhoAmIAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, down);
        Assert.Contains("cluster home could not be asked", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, up);
    }

    [Fact]
    public async Task A_gantry_token_still_signs_in_beside_them()
    {
        using var admin = fixture.Gateway.Client();

        var response = await admin.GetFromJsonAsync<JsonObject>("api/v1/session");

        Assert.Equal("admin", response!["user"]!["role"]!.GetValue<string>());
    }
}
