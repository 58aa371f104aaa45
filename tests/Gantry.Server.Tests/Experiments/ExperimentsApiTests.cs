using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Experiments;

/// <summary>Experiments end to end on one gateway: trials are local Command jobs, the controller runs on it (it leads alone on SQLite).</summary>
public sealed class ExperimentsApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task A_grid_experiment_runs_each_point_as_a_labelled_job_and_reads_the_objective_from_its_stdout()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var manifest = ExperimentJson.Experiment("grid-stdout", [ExperimentJson.Int("x", 1, 3)],
            "echo \"epoch 1 loss=$(( ${trialParameters.x} * 10 ))\"; echo \"loss=${trialParameters.x}\"", algorithm: "grid", parallel: 2, max: 3);

        var submitted = await client.SubmitExperimentAsync(manifest);
        var done = await client.WaitForExperimentEndAsync(submitted["id"]!.GetValue<string>());
        var trials = await client.TrialsAsync(done["id"]!.GetValue<string>());

        Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
        Assert.Equal(3, done["trials"]!["total"]!.GetValue<int>());
        Assert.Equal(3, done["trials"]!["succeeded"]!.GetValue<int>());
        Assert.Equal(["1", "2", "3"], trials.Select(t => t!["parameterAssignments"]![0]!["value"]!.GetValue<string>()).Order());
        foreach (var trial in trials)
        {
            var x = double.Parse(trial!["parameterAssignments"]![0]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            // Minimize: the strategy is min over both lines (10x and x).
            Assert.Equal(x, trial["objective"]!.GetValue<double>());
            Assert.Equal("Succeeded", trial["state"]!.GetValue<string>());
            var job = await client.GetJobAsync(trial["jobId"]!.GetValue<string>());
            Assert.Equal(done["id"]!.GetValue<string>(), job["labels"]!["gantry.io/experiment"]!.GetValue<string>());
            Assert.Equal(trial["name"]!.GetValue<string>(), job["labels"]!["gantry.io/trial"]!.GetValue<string>());
            Assert.StartsWith("grid-stdout-", trial["name"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal("1", done["currentOptimalTrial"]!["parameterAssignments"]![0]!["value"]!.GetValue<string>());
        var labelled = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs?labelSelector=gantry.io/experiment={done["id"]}"))!["items"]!.AsArray();
        Assert.Equal(3, labelled.Count);
    }

    [Fact]
    public async Task Pushed_metrics_reaching_the_goal_end_the_experiment_and_stop_the_trials_still_running()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        // x < 5 reports accuracy 0.99 at once; others report 0.1 and then wait a long time.
        var script = Push("1 if ${trialParameters.x} < 5 else 0.1") + "; [ ${trialParameters.x} -lt 5 ] || sleep 300";
        var manifest = ExperimentJson.Experiment("goal", [ExperimentJson.Int("x", 1, 9)], script, objective: "accuracy", type: "maximize",
            algorithm: "grid", parallel: 9, max: 9);
        manifest["spec"]!["objective"]!["goal"] = 0.9;

        var id = (await client.SubmitExperimentAsync(manifest))["id"]!.GetValue<string>();
        var done = await client.WaitForExperimentEndAsync(id);

        Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
        Assert.Equal("ExperimentGoalReached", done["reason"]!.GetValue<string>());
        Assert.True(done["currentOptimalTrial"]!["observation"]!["metrics"]![0]!["max"]!.GetValue<string>() == "1");
        // Every trial of x >= 5 is stopped: Killed, its job cancelled.
        await Polling.UntilAsync(async () => (await client.TrialsAsync(id)).All(t => t!["state"]!.GetValue<string>() != "Running" && t["state"]!.GetValue<string>() != "Created"),
            "every trial to settle");
        var trials = await client.TrialsAsync(id);
        var slow = trials.Where(t => int.Parse(t!["parameterAssignments"]![0]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 5).ToList();
        Assert.All(slow, t => Assert.Contains(t!["state"]!.GetValue<string>(), new[] { "Killed", "MetricsUnavailable", "Succeeded" }));
        foreach (var trial in slow.Where(t => t!["state"]!.GetValue<string>() == "Killed"))
        {
            var job = await client.WaitForEndAsync(trial!["jobId"]!.GetValue<string>());
            Assert.Equal("Cancelled", job.State());
        }
        Assert.Contains(slow, t => t!["state"]!.GetValue<string>() == "Killed");
    }

    [Fact]
    public async Task Median_stopping_stops_a_trial_clearly_worse_than_the_finished_ones()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        // x = 3 reports a poor accuracy at every step and keeps running; the others report well and end.
        var script = Push("0.1 if ${trialParameters.x} == 3 else 0.9", steps: 4) + "; [ ${trialParameters.x} -ne 3 ] || sleep 300";
        var manifest = ExperimentJson.Experiment("medianstop", [ExperimentJson.Int("x", 1, 3)], script, objective: "accuracy", type: "maximize",
            algorithm: "grid", parallel: 3, max: 3, extraSpec: new JsonObject
            {
                ["earlyStopping"] = new JsonObject
                {
                    ["algorithmName"] = "medianstop",
                    ["algorithmSettings"] = new JsonArray(
                        new JsonObject { ["name"] = "min_trials_required", ["value"] = "2" },
                        new JsonObject { ["name"] = "start_step", ["value"] = "2" }),
                },
            });

        var id = (await client.SubmitExperimentAsync(manifest))["id"]!.GetValue<string>();
        var done = await client.WaitForExperimentEndAsync(id);
        var trials = await client.TrialsAsync(id);

        var poor = Assert.Single(trials, t => t!["parameterAssignments"]![0]!["value"]!.GetValue<string>() == "3")!;
        Assert.Equal("EarlyStopped", poor["state"]!.GetValue<string>());
        Assert.Contains("medianstop", poor["message"]!.GetValue<string>());
        Assert.Equal("Cancelled", (await client.WaitForEndAsync(poor["jobId"]!.GetValue<string>())).State());
        Assert.Equal(2, trials.Count(t => t!["state"]!.GetValue<string>() == "Succeeded"));
        Assert.Equal(1, done["trials"]!["earlyStopped"]!.GetValue<int>());
        Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
        var metrics = await _gateway.AnonymousClient().GetStringAsync("metrics");
        Assert.Matches(@"gantry_experiment_early_stops_total [1-9]", metrics);
        Assert.Contains("gantry_experiment_trials{state=\"EarlyStopped\"}", metrics);
    }

    [Fact]
    public async Task Cancel_ends_the_experiment_and_its_running_trials_and_a_second_cancel_is_a_conflict()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var id = (await client.SubmitExperimentAsync(ExperimentJson.Experiment("cancel-me", [ExperimentJson.Int("x", 1, 100)], "sleep 300 # ${trialParameters.x}", parallel: 2, max: 10)))["id"]!.GetValue<string>();
        await Polling.UntilAsync(async () => (await client.TrialsAsync(id)).Count(t => t!["jobId"] is not null) == 2, "two trials to be submitted");

        var cancelled = await (await client.PostAsync($"api/v1/experiments/{id}/cancel", null)).Content.ReadFromJsonAsync<JsonObject>();
        var again = await client.PostAsync($"api/v1/experiments/{id}/cancel", null);

        Assert.Equal("Failed", cancelled!["state"]!.GetValue<string>());
        Assert.Equal("ExperimentCancelled", cancelled["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        foreach (var trial in await client.TrialsAsync(id))
        {
            Assert.Equal("Cancelled", (await client.WaitForEndAsync(trial!["jobId"]!.GetValue<string>())).State());
        }
        await Polling.UntilAsync(async () => (await client.TrialsAsync(id)).All(t => t!["state"]!.GetValue<string>() == "Killed"), "the trials to be Killed");
        // No trial is created after the cancel.
        await Task.Delay(2500);
        Assert.Equal(2, (await client.TrialsAsync(id)).Count);
    }

    [Fact]
    public async Task Raising_maxTrialCount_resumes_an_experiment_that_reached_it_when_its_resume_policy_allows()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var resumable = ExperimentJson.Experiment("resume", [ExperimentJson.Int("x", 1, 50)], "echo loss=${trialParameters.x}", parallel: 1, max: 2,
            extraSpec: new JsonObject { ["resumePolicy"] = "LongRunning" });
        var never = ExperimentJson.Experiment("never", [ExperimentJson.Int("x", 1, 50)], "echo loss=${trialParameters.x}", parallel: 1, max: 1);
        var id = (await client.SubmitExperimentAsync(resumable))["id"]!.GetValue<string>();
        var neverId = (await client.SubmitExperimentAsync(never))["id"]!.GetValue<string>();
        Assert.Equal("ExperimentMaxTrialsReached", (await client.WaitForExperimentEndAsync(id))["reason"]!.GetValue<string>());
        await client.WaitForExperimentEndAsync(neverId);

        var tooFew = await client.PatchAsync($"api/v1/experiments/{id}", JsonContent.Create(new { maxTrialCount = 2 }));
        var refused = await client.PatchAsync($"api/v1/experiments/{neverId}", JsonContent.Create(new { maxTrialCount = 5 }));
        var resumed = await client.PatchAsync($"api/v1/experiments/{id}", JsonContent.Create(new { maxTrialCount = 4 }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooFew.StatusCode);
        Assert.Contains("maxTrialCount", await tooFew.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("resumePolicy is Never", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("Restarting", (await resumed.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
        var done = await client.WaitForExperimentEndAsync(id);
        Assert.Equal("Succeeded", done["state"]!.GetValue<string>());
        Assert.Equal(4, done["trials"]!["succeeded"]!.GetValue<int>());
        Assert.Equal(4, done["maxTrialCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bad_experiments_are_refused_naming_the_field_and_store_nothing()
    {
        using var client = _gateway.Client();
        var before = JsonNode.Parse(await client.GetStringAsync("api/v1/experiments?limit=500"))!["items"]!.AsArray().Count;
        var noObjective = ExperimentJson.Experiment("bad", [ExperimentJson.Int("x", 1, 3)], "echo ${trialParameters.x}");
        noObjective["spec"]!.AsObject().Remove("objective");
        var unsupported = ExperimentJson.Experiment("hb", [ExperimentJson.Int("x", 1, 3)], "echo ${trialParameters.x}", algorithm: "hyperband");
        var unknownKind = ExperimentJson.Experiment("kind", [ExperimentJson.Int("x", 1, 3)], "echo ${trialParameters.x}");
        unknownKind["spec"]!["trialTemplate"]!["trialSpec"]!["kind"] = "Nonsense";
        unknownKind["spec"]!["trialTemplate"]!["trialSpec"]!["apiVersion"] = "example.com/v1";
        unknownKind["spec"]!["trialTemplate"]!["successCondition"] = "status.done";
        unknownKind["spec"]!["trialTemplate"]!["failureCondition"] = "status.failed";

        var a = await client.PostAsJsonAsync("api/v1/experiments", new JsonObject { ["manifest"] = noObjective });
        var b = await client.PostAsJsonAsync("api/v1/experiments", new JsonObject { ["manifest"] = unsupported });
        var c = await client.PostAsJsonAsync("api/v1/experiments", new JsonObject { ["manifest"] = unknownKind });
        var d = await client.PostAsJsonAsync("api/v1/experiments", new JsonObject { ["manifest"] = ExperimentJson.Experiment("q", [ExperimentJson.Int("x", 1, 3)], "echo ${trialParameters.x}"), ["queue"] = "no-such-queue" });
        var e = await client.PostAsync("api/v1/experiments", new StringContent("kind: Experiment\nspec: &a [*a, *a]\n", Encoding.UTF8, "application/yaml"));
        var f = await client.GetAsync("api/v1/experiments/nosuchexperiment");
        var g = await client.GetAsync("api/v1/experiments?state=Sleeping");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, a.StatusCode);
        Assert.Contains("manifest.spec.objective", await a.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, b.StatusCode);
        Assert.Contains("manifest.spec.algorithm.algorithmName", await b.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, c.StatusCode);
        Assert.Contains("manifest.spec.trialTemplate.trialSpec.kind", await c.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, d.StatusCode);
        Assert.Contains("no-such-queue", await d.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, f.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, g.StatusCode);
        foreach (var response in new[] { a, b, c, d, e, f, g })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, JsonNode.Parse(await client.GetStringAsync("api/v1/experiments?limit=500"))!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Another_user_sees_no_such_experiment_and_lists_only_their_own()
    {
        using var admin = _gateway.Client();
        using var bob = await _gateway.UserClientAsync("exp-bob");
        var id = (await admin.SubmitExperimentAsync(ExperimentJson.Experiment("mine", [ExperimentJson.Int("x", 1, 3)], "echo ${trialParameters.x}", parallel: 1, max: 1)))["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"api/v1/experiments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"api/v1/experiments/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync("api/v1/experiments?owner=admin")).StatusCode);
        var own = JsonNode.Parse(await bob.GetStringAsync("api/v1/experiments"))!["items"]!.AsArray();
        Assert.DoesNotContain(own, e => e!["id"]!.GetValue<string>() == id);
    }

    /// <summary>A shell line that runs python3 pushing <paramref name="value"/> (a Python expression) for steps 1..n with the job's own token.</summary>
    private static string Push(string value, int steps = 1) =>
        "python3 -c '" + $$"""
        import json, os, urllib.request
        url, job, token = os.environ["GANTRY_URL"], os.environ["GANTRY_JOB_ID"], os.environ["GANTRY_JOB_TOKEN"]
        v = {{value}}
        body = json.dumps({"metrics": [{"name": "accuracy", "value": v, "step": s} for s in range(1, {{steps}} + 1)]}).encode()
        urllib.request.urlopen(urllib.request.Request(url + "/api/v1/jobs/" + job + "/metrics", data=body, method="POST",
            headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})).read()
        """.Replace("'", "\"", StringComparison.Ordinal) + "'";
}
