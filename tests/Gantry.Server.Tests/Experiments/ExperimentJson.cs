using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Experiments;

/// <summary>Builders and waits for experiments in tests.</summary>
internal static class ExperimentJson
{
    /// <summary>
    /// An Experiment over Command trials running <c>sh -c script</c>, the script seeing each parameter
    /// as <c>${trialParameters.NAME}</c>; parameters as Katib writes them.
    /// </summary>
    public static JsonObject Experiment(string name, JsonArray parameters, string script, string objective = "loss", string type = "minimize",
        string algorithm = "random", int parallel = 2, int max = 4, int? maxFailed = null, JsonObject? extraSpec = null)
    {
        var trialParameters = new JsonArray(parameters.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p!["name"]!.GetValue<string>(),
            ["reference"] = p["name"]!.GetValue<string>(),
        }).ToArray());
        var spec = new JsonObject
        {
            ["objective"] = new JsonObject { ["type"] = type, ["objectiveMetricName"] = objective },
            ["algorithm"] = new JsonObject { ["algorithmName"] = algorithm },
            ["parallelTrialCount"] = parallel,
            ["maxTrialCount"] = max,
            ["parameters"] = parameters,
            ["trialTemplate"] = new JsonObject
            {
                ["primaryContainerName"] = "main",
                ["trialParameters"] = trialParameters,
                ["trialSpec"] = new JsonObject
                {
                    ["kind"] = "Command",
                    ["spec"] = new JsonObject
                    {
                        ["command"] = new JsonArray("sh", "-c", script),
                        ["resources"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" },
                    },
                },
            },
        };
        if (maxFailed is { } failed)
        {
            spec["maxFailedTrialCount"] = failed;
        }
        foreach (var (key, value) in extraSpec ?? [])
        {
            spec[key] = value?.DeepClone();
        }
        return new JsonObject
        {
            ["apiVersion"] = "kubeflow.org/v1beta1",
            ["kind"] = "Experiment",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject Int(string name, int min, int max) => new()
    {
        ["name"] = name,
        ["parameterType"] = "int",
        ["feasibleSpace"] = new JsonObject { ["min"] = min.ToString(System.Globalization.CultureInfo.InvariantCulture), ["max"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static JsonObject Double(string name, double min, double max) => new()
    {
        ["name"] = name,
        ["parameterType"] = "double",
        ["feasibleSpace"] = new JsonObject { ["min"] = min.ToString("R", System.Globalization.CultureInfo.InvariantCulture), ["max"] = max.ToString("R", System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static async Task<JsonObject> SubmitExperimentAsync(this HttpClient client, JsonObject manifest, string queue = "default")
    {
        var response = await client.PostAsJsonAsync("api/v1/experiments", new JsonObject { ["manifest"] = manifest, ["queue"] = queue });
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"Submit answered {(int)response.StatusCode}: {body}");
        }
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> GetExperimentAsync(this HttpClient client, string id) =>
        JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}"))!.AsObject();

    public static async Task<JsonArray> TrialsAsync(this HttpClient client, string id) =>
        JsonNode.Parse(await client.GetStringAsync($"api/v1/experiments/{id}/trials"))!["items"]!.AsArray();

    /// <summary>Waits until the experiment is Succeeded or Failed, and returns it.</summary>
    public static async Task<JsonObject> WaitForExperimentEndAsync(this HttpClient client, string id, int seconds = 180)
    {
        JsonObject? last = null;
        await Polling.UntilAsync(async () =>
        {
            last = await client.GetExperimentAsync(id);
            return last["state"]!.GetValue<string>() is "Succeeded" or "Failed";
        }, $"experiment {id} to end", TimeSpan.FromSeconds(seconds));
        return last!;
    }
}
