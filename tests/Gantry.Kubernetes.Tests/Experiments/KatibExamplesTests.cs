using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Experiments;

/// <summary>
/// Every Experiment Katib ships (shared/examples/katib), posted as written: the ones Gantry runs
/// are accepted and run to their end on two sandbox clusters, their trials as real Jobs, PyTorchJobs
/// and TrainJobs there; where the sandbox's pods print no metrics, each ends saying its trials
/// reported none rather than hanging. The four with algorithms Gantry does not run are refused
/// with 422 naming the algorithm.
/// </summary>
public sealed class KatibExamplesTests : IAsyncLifetime
{
    private static readonly string[] Unsupported =
        ["hp-tuning_bayesian-optimization.yaml", "hp-tuning_cma-es.yaml", "hp-tuning_hyperband.yaml", "hp-tuning_simple-pbt.yaml"];

    private FleetGateway _fleet = null!;

    public async Task InitializeAsync() => _fleet = await FleetGateway.StartAsync(
        ("east", [new SandboxNode("east-1", "64", "256Gi"), new SandboxNode("east-2", "64", "256Gi")]),
        ("west", [new SandboxNode("west-1", "64", "256Gi")]));

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Each_example_is_accepted_and_ends_or_is_refused_naming_what_Gantry_does_not_run()
    {
        using var client = _fleet.Gateway.Client();
        var files = Directory.EnumerateFiles(SharedFiles.Examples("katib"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 19, $"{files.Count} examples");
        var started = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            using var body = new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/yaml");
            var response = await client.PostAsync("api/v1/experiments", body);
            var text = await response.Content.ReadAsStringAsync();
            if (Unsupported.Contains(name))
            {
                Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{name}: {(int)response.StatusCode} {text}");
                Assert.Contains("manifest.spec.algorithm.algorithmName", text);
                Assert.Contains("not support", text);
                continue;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{name}: {(int)response.StatusCode} {text}");
            started[name] = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        }
        Assert.Equal(files.Count - Unsupported.Length, started.Count);

        foreach (var (name, id) in started)
        {
            JsonObject experiment = null!;
            await Polling.UntilAsync(async () =>
            {
                experiment = JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}"))!.AsObject();
                return experiment["state"]!.GetValue<string>() is "Succeeded" or "Failed";
            }, $"{name} to end", TimeSpan.FromSeconds(240));
            var trials = JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}/trials"))!["items"]!.AsArray();
            Assert.NotEmpty(trials);
            foreach (var trial in trials.Where(t => t!["jobId"] is not null))
            {
                var job = await client.GetJobAsync(trial!["jobId"]!.GetValue<string>());
                Assert.Contains(job["cluster"]!.GetValue<string>(), new[] { "east", "west" });
                Assert.Equal(id, job["labels"]!["gantry.io/experiment"]!.GetValue<string>());
            }
            // Most sandbox pods print no objective: the trials say so, and so does the experiment. Those
            // that print one (the simulated PyTorchJob logs a loss) give every trial its value.
            var seen = $"{name}: {experiment["state"]} {experiment["message"]}; trials: " + string.Join("; ", trials.Select(t => $"{t!["state"]} {t["message"]}"));
            if (trials.Any(t => t!["state"]!.GetValue<string>() == "MetricsUnavailable"))
            {
                Assert.True(experiment["message"]!.GetValue<string>().Contains("without reporting", StringComparison.Ordinal), seen);
            }
            else
            {
                Assert.True(trials.All(t => t!["state"]!.GetValue<string>() is "Succeeded" or "Killed" or "EarlyStopped"), seen);
                Assert.True(experiment["currentOptimalTrial"] is JsonObject, seen);
            }
        }
    }
}
