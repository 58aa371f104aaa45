using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;
using Gantry.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Gantry.Server.Tests.Fuzzing;

/// <summary>
/// Ten thousand mutated requests (fixed seed) against every endpoint that reads a body or a
/// query string, on a gateway of its own whose local cluster is cordoned (so no fuzzed command
/// ever runs). No answer may be a 5xx or a dropped connection, every 4xx must be a problem naming
/// a field or a limit, the process must still answer, and the store must hold exactly the jobs
/// and experiments answered 201. bench/ runs the same fuzzer longer (docs/benchmarks.md).
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    public const int Seed = 20261202;

    [Fact]
    public async Task Ten_thousand_mutated_requests_get_no_5xx_and_store_exactly_the_jobs_answered_201()
    {
        await using var gateway = await TestGateway.StartAsync(FuzzGateway.Settings);
        await gateway.SetCordonAsync(true);
        using var admin = gateway.Client();
        var seedJob = await admin.SubmitAsync(TestJobs.Shell("true"));
        var seedExperiment = await admin.PostAsync("api/v1/experiments", new StringContent(FuzzCorpus.SeedExperiment, System.Text.Encoding.UTF8, "application/json"));
        var experimentId = JsonNode.Parse(await seedExperiment.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var corpus = new FuzzCorpus(Seed, seedJob.Id(), FuzzCorpus.ExampleManifests(), experimentId);

        var report = await RequestFuzzer.RunAsync(gateway.Url, gateway.AdminToken, corpus, requests: 10_000, concurrency: 4, CancellationToken.None);

        output.WriteLine(report.Summary());
        foreach (var (endpoint, count) in report.ByEndpoint.OrderBy(kv => kv.Key))
        {
            output.WriteLine($"  {endpoint}: {count}");
        }
        var violations = report.AllViolations.ToList();
        Assert.True(violations.Count == 0, $"{violations.Count} violations, first ones:\n" + string.Join("\n", violations.Take(15)));
        Assert.Equal(10_000, report.Requests);
        Assert.Equal(HttpStatusCode.OK, (await gateway.AnonymousClient().GetAsync("healthz")).StatusCode);
        // Trials of the fuzzed experiments are jobs too, made by the controller: they carry the experiment's label.
        var stored = await AllIdsAsync(admin, "api/v1/jobs?labelSelector=!gantry.io/experiment&limit=500");
        Assert.Equal(report.CreatedJobIds.Keys.Append(seedJob.Id()).Order(), stored.Order());
        var experiments = await AllIdsAsync(admin, "api/v1/experiments?limit=500");
        Assert.Equal(report.CreatedExperimentIds.Keys.Append(experimentId).Order(), experiments.Order());
        // Each endpoint of the corpus was reached, and the mutations reached past the readers too.
        Assert.All(corpus.Endpoints, e => Assert.True(report.ByEndpoint.ContainsKey(e), $"{e} was never fuzzed"));
        Assert.True(report.ByStatus.ContainsKey(201) && report.ByStatus.ContainsKey(400) && report.ByStatus.ContainsKey(422) && report.ByStatus.ContainsKey(413),
            report.Summary());
    }

    private static async Task<List<string>> AllIdsAsync(HttpClient client, string list)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await client.GetStringAsync(list + (cursor is null ? "" : $"&cursor={cursor}")))!;
            ids.AddRange(page["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return ids;
    }
}
