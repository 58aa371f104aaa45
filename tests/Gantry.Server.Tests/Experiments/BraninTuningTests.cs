using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Experiments;

/// <summary>
/// TPE through the whole gateway: each trial is a real process that computes the Branin function
/// of its parameters and pushes it to the metrics API with its own token. One trial at a time and a
/// fixed random_state make the run reproducible, so the number of trials it takes is a fact, not luck.
/// </summary>
public sealed class BraninTuningTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const double Optimum = 0.397887;
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Tpe_finds_Branin_within_0_1_of_its_optimum_in_at_most_100_trials_of_pushed_objectives()
    {
        await _gateway.SetCordonAsync(false);
        using var client = _gateway.Client();
        var script = "python3 -c \"" + """
            import json, math, os, urllib.request
            x1, x2 = float('${trialParameters.x1}'), float('${trialParameters.x2}')
            b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
            y = (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10
            url, job, token = os.environ['GANTRY_URL'], os.environ['GANTRY_JOB_ID'], os.environ['GANTRY_JOB_TOKEN']
            body = json.dumps({'metrics': [{'name': 'branin', 'value': y, 'step': 1}]}).encode()
            urllib.request.urlopen(urllib.request.Request(url + '/api/v1/jobs/' + job + '/metrics', data=body, method='POST',
                headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})).read()
            """ + "\"";
        var manifest = ExperimentJson.Experiment("branin", [ExperimentJson.Double("x1", -5, 10), ExperimentJson.Double("x2", 0, 15)], script,
            objective: "branin", algorithm: "tpe", parallel: 1, max: 100);
        manifest["spec"]!["objective"]!["goal"] = Optimum + 0.1;
        manifest["spec"]!["algorithm"]!["algorithmSettings"] = new JsonArray(new JsonObject { ["name"] = "random_state", ["value"] = "1" });

        var id = (await _gateway.Client().SubmitExperimentAsync(manifest))["id"]!.GetValue<string>();
        var done = await client.WaitForExperimentEndAsync(id, seconds: 600);
        var trials = await client.TrialsAsync(id);

        Assert.Equal("ExperimentGoalReached", done["reason"]!.GetValue<string>());
        var best = trials.Where(t => t!["objective"] is not null).Min(t => t!["objective"]!.GetValue<double>());
        Assert.InRange(best - Optimum, 0, 0.1);
        Assert.True(trials.Count <= 100, $"{trials.Count} trials");
        // Each value is the function of the trial's own assignments, as pushed from inside.
        var first = trials[0]!;
        var x1 = double.Parse(first["parameterAssignments"]![0]!["value"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var x2 = double.Parse(first["parameterAssignments"]![1]!["value"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.Equal(Branin(x1, x2), first["objective"]!.GetValue<double>(), 1e-9);
        Console.WriteLine($"tuning: TPE reached Branin {best:F4} (regret {best - Optimum:F4}) after {trials.Count} trials");
    }

    private static double Branin(double x1, double x2)
    {
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10;
    }
}
