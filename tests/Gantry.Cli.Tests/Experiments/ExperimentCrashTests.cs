using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Backends;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Experiments;

/// <summary>
/// kill -9 of the gateway in the middle of an experiment, at the two steps where a trial could be
/// doubled: after its row is stored and before its job is, and after its job is stored and before the
/// trial names it. Restarted on the same data dir, the experiment finishes with one job per trial.
/// </summary>
public sealed class ExperimentCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-exp-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(CrashPoints.AfterTrialsRecorded)]
    [InlineData(CrashPoints.AfterTrialSubmitted)]
    public async Task After_kill_9_mid_experiment_a_restarted_gateway_finishes_it_with_one_job_per_trial(string point)
    {
        var dataDir = Path.Combine(_dir, "data");
        var crashFile = Path.Combine(_dir, "crash");
        var url = $"http://127.0.0.1:{FreePorts.NextPair()}";
        var settings = new Dictionary<string, string>
        {
            ["Gantry__Testing__CrashFile"] = crashFile,
            ["Gantry__Experiments__IntervalMilliseconds"] = "200",
        };
        // The second reach: one trial went through whole, the next one is cut in two.
        await File.WriteAllTextAsync(crashFile, $"{point} 2");
        var gateway = await StartAsync(settings, dataDir, url);
        var token = (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"))).Trim();
        using var client = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await client.PostAsync("api/v1/clusters/local/uncordon", null);
        var response = await client.PostAsJsonAsync("api/v1/experiments", new JsonObject { ["manifest"] = Experiment("crash", max: 4) });
        Assert.Equal(201, (int)response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        Assert.NotEqual(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains($"crash point {point} reached", gateway.Output);
        await gateway.DisposeAsync();
        await File.WriteAllTextAsync(crashFile, "");
        await using var restarted = await StartAsync(settings, dataDir, url);

        JsonObject experiment = null!;
        await Polling.UntilAsync(async () =>
        {
            experiment = JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}"))!.AsObject();
            return experiment["state"]!.GetValue<string>() is "Succeeded" or "Failed";
        }, "the experiment to end after the restart", TimeSpan.FromSeconds(180));
        var trials = JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}/trials"))!["items"]!.AsArray();
        var jobs = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?labelSelector=gantry.io/experiment={id}&limit=100"))!["items"]!.AsArray();

        Assert.Equal("Succeeded", experiment["state"]!.GetValue<string>());
        Assert.Equal(4, experiment["trials"]!["total"]!.GetValue<int>());
        Assert.Equal([0, 1, 2, 3], trials.Select(t => t!["index"]!.GetValue<int>()));
        Assert.Equal(4, trials.Select(t => t!["name"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(4, jobs.Count);
        Assert.Equal(
            trials.Select(t => t!["jobId"]!.GetValue<string>()).Order(),
            jobs.Select(j => j!["id"]!.GetValue<string>()).Order());
        Assert.All(trials, t => Assert.Equal("Succeeded", t!["state"]!.GetValue<string>()));
    }

    private static async Task<GantryProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string dataDir, string url)
    {
        var process = GantryProcess.Start(settings, "serve", "--data-dir", dataDir, "--urls", url, "--ui-urls", "none");
        await process.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(120));
        return process;
    }

    /// <summary>One trial at a time, each printing its objective: the order of trials is the order of the crash's reaches.</summary>
    private static JsonObject Experiment(string name, int max) => JsonNode.Parse("""
        {
          "apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment", "metadata": {"name": "NAME"},
          "spec": {
            "objective": {"type": "minimize", "objectiveMetricName": "loss"},
            "algorithm": {"algorithmName": "random"},
            "parallelTrialCount": 1, "maxTrialCount": MAX,
            "parameters": [{"name": "x", "parameterType": "int", "feasibleSpace": {"min": "1", "max": "100"}}],
            "trialTemplate": {
              "primaryContainerName": "main",
              "trialParameters": [{"name": "x", "reference": "x"}],
              "trialSpec": {"kind": "Command", "spec": {"command": ["sh", "-c", "echo loss=${trialParameters.x}"],
                            "resources": {"cpu": "100m", "memory": "64Mi"}}}
            }
          }
        }
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("MAX", max.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))!.AsObject();
}
