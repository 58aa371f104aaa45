using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary><c>gantry experiments submit | list | describe | cancel | resume</c> against a real gateway running real trial processes.</summary>
public sealed partial class ExperimentsCommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);
    private readonly TestGateway _gateway = fixture.Gateway;

    [GeneratedRegex(@"submitted experiment (\S+) \(")]
    private static partial Regex Submitted();

    /// <summary>A random search over x in [0.1, 0.9] whose Command trials print <c>loss=x</c> (read by the StdOut collector).</summary>
    private static string Experiment(string name, int parallel, int max, string command = "echo loss=${trialParameters.x}") => $$"""
        apiVersion: kubeflow.org/v1beta1
        kind: Experiment
        metadata: {name: {{name}}}
        spec:
          objective: {type: minimize, objectiveMetricName: loss}
          algorithm: {algorithmName: random}
          parallelTrialCount: {{parallel}}
          maxTrialCount: {{max}}
          resumePolicy: LongRunning
          parameters:
            - name: x
              parameterType: double
              feasibleSpace: {min: "0.1", max: "0.9"}
          trialTemplate:
            primaryContainerName: main
            trialParameters:
              - {name: x, reference: x}
            trialSpec:
              kind: Command
              spec:
                command: ["sh", "-c", "{{command}}"]
                resources: {cpu: 100m, memory: 32Mi}
        """;

    [Fact]
    public async Task Submit_describe_list_and_resume_show_the_trials_the_best_one_and_the_new_budget()
    {
        var cli = new CliRunner(_gateway);
        var file = WriteFile("exp.yaml", Experiment("cli-exp", parallel: 3, max: 3));

        var (submitCode, submitted) = await cli.RunAsync("experiments", "submit", "-f", file);
        Assert.Equal(0, submitCode);
        var id = Submitted().Match(submitted).Groups[1].Value;
        Assert.Contains("(cli-exp, random, queue default)", submitted);
        await UntilStateAsync(id, "Succeeded", totalTrials: 3);

        var (describeCode, describe) = await cli.RunAsync("experiments", "describe", id);
        var (_, json) = await cli.RunAsync("experiments", "describe", id, "-o", "json");
        var (listCode, list) = await cli.RunAsync("experiments", "list");
        var (allCode, all) = await cli.RunAsync("experiments", "list", "--all");
        var (_, succeeded) = await cli.RunAsync("experiments", "list", "--state", "Succeeded", "-o", "json");

        Assert.Equal([0, 0, 0], new[] { describeCode, listCode, allCode });
        var answer = JsonNode.Parse(json)!;
        var trials = answer["trials"]!.AsArray();
        Assert.Equal(3, trials.Count);
        // Each trial printed loss=x, so its objective is its own x; the best is the smallest.
        foreach (var trial in trials)
        {
            Assert.Equal("Succeeded", (string?)trial!["state"]);
            var x = double.Parse((string)trial["parameterAssignments"]![0]!["value"]!, CultureInfo.InvariantCulture);
            Assert.Equal(x, (double)trial["objective"]!, 9);
            Assert.True(Gantry.Core.Jobs.JobId.IsWellFormed((string)trial["jobId"]!));
            Assert.Contains((string)trial["name"]!, describe);
            Assert.Contains((string)trial["jobId"]!, describe);
        }
        var best = trials.MinBy(t => (double)t!["objective"]!)!;
        Assert.Equal((string?)best["name"], (string?)answer["experiment"]!["currentOptimalTrial"]!["bestTrialName"]);
        Assert.Contains("ExperimentMaxTrialsReached", describe);
        Assert.Contains("minimize loss", describe);
        Assert.Contains($"{(string)best["name"]!} *", describe);
        Assert.Contains("x=" + (string)best["parameterAssignments"]![0]!["value"]!, describe);
        Assert.Contains("3/3 done", describe);
        Assert.DoesNotContain(id, list);
        Assert.Contains(id, all);
        Assert.Contains(id, succeeded);

        var (resumeCode, resumed) = await cli.RunAsync("experiments", "resume", id, "--max-trials", "4");
        Assert.Equal(0, resumeCode);
        Assert.Contains("max 4 trials", resumed);
        await UntilStateAsync(id, "Succeeded", totalTrials: 4);
        var (tooFewCode, tooFew) = await cli.RunAsync("experiments", "resume", id, "--max-trials", "2");
        Assert.Equal(1, tooFewCode);
        Assert.Matches("4(09|22)", tooFew);
    }

    [Fact]
    public async Task Cancel_ends_the_experiment_and_its_running_trials_whose_jobs_carry_the_queue_priority_and_labels()
    {
        var cli = new CliRunner(_gateway);
        using var admin = _gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/queues", new { name = "cli-exp-q" })).EnsureSuccessStatusCode();
        var file = WriteFile("slow.yaml", Experiment("cli-slow", parallel: 2, max: 4, command: "sleep 300; echo loss=${trialParameters.x}"));

        var (submitCode, submitted) = await cli.RunAsync("experiments", "submit", "-f", file, "--queue", "cli-exp-q", "--priority", "5", "--label", "team=ml");
        Assert.Equal(0, submitCode);
        var id = Submitted().Match(submitted).Groups[1].Value;
        await Polling.UntilAsync(async () => (await TrialJobsAsync(admin, id)).Count(j => (string?)j["state"] == "Running") == 2, "two trials running", Patience);
        var (describeCode, describe) = await cli.RunAsync("experiments", "describe", id);
        var (cancelCode, cancelled) = await cli.RunAsync("experiments", "cancel", id);
        var (againCode, again) = await cli.RunAsync("experiments", "cancel", id);

        Assert.Equal([0, 0], new[] { describeCode, cancelCode });
        Assert.Contains("cli-exp-q (priority 5)", describe);
        Assert.Contains("2 at a time, at most 4 trials", describe);
        Assert.Contains("team=ml", describe);
        Assert.Contains("none yet", describe);
        Assert.Contains("Failed", cancelled);
        Assert.Contains("ExperimentCancelled", cancelled);
        Assert.Equal(1, againCode);
        Assert.Contains("409", again);
        await Polling.UntilAsync(async () => (await TrialJobsAsync(admin, id)).All(j => (string?)j["state"] == "Cancelled"), "the trials' jobs cancelled", Patience);
        var jobs = await TrialJobsAsync(admin, id);
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j =>
        {
            Assert.Equal("cli-exp-q", (string?)j["queue"]);
            Assert.Equal(5, (int)j["priority"]!);
            Assert.Equal("ml", (string?)j["labels"]!["team"]);
            Assert.Equal(id, (string?)j["labels"]!["gantry.io/experiment"]);
        });
    }

    [Fact]
    public async Task What_the_gateway_refuses_is_printed_with_the_field_and_a_nonzero_exit()
    {
        var cli = new CliRunner(_gateway);
        var backwards = WriteFile("backwards.yaml", Experiment("cli-bad", parallel: 1, max: 1).Replace("min: \"0.1\", max: \"0.9\"", "min: \"5\", max: \"1\"", StringComparison.Ordinal));
        var hyperband = WriteFile("hyperband.yaml", Experiment("cli-hb", parallel: 1, max: 1).Replace("algorithmName: random", "algorithmName: hyperband", StringComparison.Ordinal));

        var (backwardsCode, backwardsOutput) = await cli.RunAsync("experiments", "submit", "-f", backwards);
        var (hyperbandCode, hyperbandOutput) = await cli.RunAsync("experiments", "submit", "-f", hyperband);
        var (missingCode, missing) = await cli.RunAsync("experiments", "describe", "e-nothing-here");
        var (labelCode, label) = await cli.RunAsync("experiments", "submit", "-f", backwards, "--label", "no-equals");

        Assert.Equal(1, backwardsCode);
        Assert.Contains("422", backwardsOutput);
        Assert.Contains("manifest.spec.parameters[0].feasibleSpace", backwardsOutput);
        Assert.Equal(1, hyperbandCode);
        Assert.Contains("422", hyperbandOutput);
        Assert.Contains("hyperband", hyperbandOutput);
        Assert.Equal(1, missingCode);
        Assert.Contains("404", missing);
        Assert.Equal(1, labelCode);
        Assert.Contains("is not a label", label);
    }

    private async Task UntilStateAsync(string id, string state, int totalTrials)
    {
        using var client = _gateway.Client();
        JsonNode? last = null;
        try
        {
            await Polling.UntilAsync(async () =>
            {
                last = JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}"));
                return (string?)last!["state"] == state && (int)last["trials"]!["total"]! == totalTrials;
            }, $"experiment {id} {state} with {totalTrials} trials", Patience);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Last seen: {last?.ToJsonString()}", ex);
        }
    }

    private static async Task<List<JsonNode>> TrialJobsAsync(HttpClient client, string id)
    {
        var page = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?limit=50&labelSelector={Uri.EscapeDataString("gantry.io/experiment=" + id)}"))!;
        return page["items"]!.AsArray().Select(j => j!).ToList();
    }

    private static string WriteFile(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gantry-cli-exp-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
