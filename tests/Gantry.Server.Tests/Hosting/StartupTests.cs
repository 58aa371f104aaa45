using System.Net;
using System.Text.Json.Nodes;
using Gantry.Server.Hosting;
using Gantry.Testing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Tests.Hosting;

public sealed class StartupTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Healthz_and_readyz_answer_without_a_token()
    {
        using var client = _gateway.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("readyz")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_jobs_path_of_the_contract()
    {
        using var client = _gateway.AnonymousClient();

        var document = JsonNode.Parse(await client.GetStringAsync("openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();

        foreach (var path in new[]
        {
            "/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/events", "/api/v1/jobs/{id}/explain",
            "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/logs", "/api/v1/jobs/{id}/watch",
            "/api/v1/queues", "/api/v1/clusters", "/api/v1/clusters/{name}/cordon", "/api/v1/clusters/{name}/uncordon",
            "/api/v1/clusters/{name}", "/api/v1/clusters/import", "/api/v1/clusters/{name}/test", "/api/v1/clusters/{name}/shares",
            "/api/v1/clusters/{name}/shares/{user}",
        })
        {
            Assert.Contains(path, paths);
        }
        var submitBody = document["paths"]!["/api/v1/jobs"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.True(submitBody.ContainsKey("application/json"));
        Assert.True(submitBody.ContainsKey("application/yaml"));
        // The queue body names every field the API reads, affinity included.
        var queueBody = document["paths"]!["/api/v1/queues"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var queueSchema = document["components"]!["schemas"]![queueBody.Split('/')[^1]]!["properties"]!.AsObject();
        foreach (var field in new[] { "name", "weight", "priority", "quota", "clusterSelector", "affinity", "policy" })
        {
            Assert.True(queueSchema.ContainsKey(field), $"the queue request schema lacks {field}");
        }
    }

    [Fact]
    public async Task The_root_page_is_the_dashboard_built_with_the_server_or_says_how_to_build_it()
    {
        using var client = _gateway.AnonymousClient();
        var built = Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html");

        var page = await client.GetStringAsync("");

        // The build ships web/dist as wwwroot when npm is there; without npm, / says so.
        if (File.Exists(built))
        {
            Assert.Equal(await File.ReadAllTextAsync(built), page);
            Assert.Contains("/assets/", page);
        }
        else
        {
            Assert.Contains("was not built", page);
        }
    }

    [Fact]
    public async Task Wrong_options_stop_the_start_and_every_problem_is_named_by_its_key()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gantry:DataDir"] = Path.Combine(Path.GetTempPath(), "gantry-bad-" + Guid.NewGuid().ToString("N")),
            ["Gantry:PublicUrl"] = "not a url",
            ["Gantry:Storage:Provider"] = "oracle",
            ["Gantry:Scheduler:IntervalMilliseconds"] = "1",
            ["Gantry:Local:Cpu"] = "-2",
            ["Gantry:Tokens:SessionHours"] = "0",
            ["Gantry:Scheduler:DefaultContainerCpu"] = "one",
            ["Gantry:Scheduler:DefaultContainerMemory"] = "-1Gi",
            ["Gantry:Local:PortRange"] = "70000-80000",
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GantryApp.BuildAsync([], settings));

        Assert.Contains(error.Failures, f => f.Contains("Gantry:PublicUrl", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Gantry:Storage:Provider", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Gantry:Scheduler:IntervalMilliseconds", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Gantry:Local:Cpu", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Gantry:Tokens:SessionHours", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Gantry:Scheduler:DefaultContainerCpu", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Gantry:Scheduler:DefaultContainerMemory", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Gantry:Local:PortRange", StringComparison.Ordinal) && f.Contains("1024-65535", StringComparison.Ordinal));
    }
}
