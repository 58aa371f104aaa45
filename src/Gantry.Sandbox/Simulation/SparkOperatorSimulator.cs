using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// Moves SparkApplications through the Spark operator's states: "" to SUBMITTED (UI Service and
/// driver pod created), RUNNING once the driver runs (executors created), then after the planned
/// duration SUCCEEDING to COMPLETED, or FAILING to FAILED with the failure message. Honours
/// <c>timeToLiveSeconds</c> after the end.
/// </summary>
internal sealed class SparkOperatorSimulator(ClusterState state)
{
    private const string Group = "sparkoperator.k8s.io";
    private const string Plural = "sparkapplications";
    private readonly Dictionary<string, DateTimeOffset> _allRunningSince = [];

    public void Step()
    {
        if (state.Catalog.Find(Group, Plural) is not { } type)
        {
            return;
        }
        foreach (var app in state.Store.List(Group, Plural, null).Items)
        {
            var current = ObjectMeta.Text(app["status"]?["applicationState"]?["state"]) ?? "";
            switch (current)
            {
                case "":
                    Submit(type, app);
                    break;
                case "SUBMITTED" or "RUNNING":
                    Progress(type, app, current);
                    break;
                case "SUCCEEDING":
                    End(type, app, "COMPLETED");
                    break;
                case "FAILING":
                    End(type, app, "FAILED");
                    break;
                case "COMPLETED" or "FAILED":
                    ExpireIfDue(type, app);
                    break;
            }
        }
    }

    private void Submit(ResourceType type, JsonObject app)
    {
        var now = state.Time.GetUtcNow();
        var submissionId = Guid.NewGuid().ToString();
        var appId = "spark-" + app.Uid().Replace("-", "", StringComparison.Ordinal);
        var (driverRequest, _, _) = SparkPods.Demand(app);
        var clusterIp = string.Create(CultureInfo.InvariantCulture, $"10.96.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        Owners.CreateOnce(state, BuiltInTypes.Services, SparkPods.UiService(app, submissionId, clusterIp));
        Owners.CreateOnce(state, BuiltInTypes.Pods, SparkPods.Driver(app, driverRequest, submissionId, appId));
        Owners.UpdateStatus(state, type, app, status =>
        {
            status["applicationState"] = new JsonObject { ["state"] = "SUBMITTED" };
            status["submissionID"] = submissionId;
            status["sparkApplicationId"] = appId;
            status["lastSubmissionAttemptTime"] = ObjectMeta.Timestamp(now);
            status["submissionAttempts"] = 1;
            status["executionAttempts"] = 1;
            status["driverInfo"] = new JsonObject
            {
                ["podName"] = SparkPods.DriverName(app),
                ["webUIServiceName"] = SparkPods.ServiceName(app),
                ["webUIPort"] = SparkPods.UiPort,
                ["webUIAddress"] = $"{clusterIp}:{SparkPods.UiPort}",
            };
        });
    }

    private void Progress(ResourceType type, JsonObject app, string current)
    {
        var driver = state.Store.Get(ObjectKey.For(BuiltInTypes.Pods, app.Namespace(), SparkPods.DriverName(app)));
        if (driver is null)
        {
            Fail(type, app, "driver pod not found");
            return;
        }
        if (PodStatus.Phase(driver) != "Running")
        {
            return;
        }
        var executors = EnsureExecutors(app, driver);
        var executorState = new JsonObject();
        foreach (var executor in executors)
        {
            executorState[executor.Name()] = ExecutorState(executor);
        }
        Owners.UpdateStatus(state, type, app, status =>
        {
            status["applicationState"] = new JsonObject { ["state"] = "RUNNING" };
            status["executorState"] = executorState;
        });
        if (current == "RUNNING" && executors.All(e => PodStatus.Phase(e) == "Running"))
        {
            var since = _allRunningSince.TryGetValue(app.Uid(), out var t) ? t : _allRunningSince[app.Uid()] = state.Time.GetUtcNow();
            var plan = RunPlan.For(app, state.Options.DefaultRunDuration);
            if (state.Time.GetUtcNow() - since >= plan.Duration)
            {
                Finish(type, app, driver, executors, plan);
            }
        }
    }

    private List<JsonObject> EnsureExecutors(JsonObject app, JsonObject driver)
    {
        var (_, request, count) = SparkPods.Demand(app);
        var submissionId = ObjectMeta.Text(app["status"]?["submissionID"]) ?? "";
        var appId = ObjectMeta.Text(app["status"]?["sparkApplicationId"]) ?? "";
        return [.. Enumerable.Range(1, count).Select(i => Owners.CreateOnce(state, BuiltInTypes.Pods, SparkPods.Executor(app, driver, i, request, submissionId, appId)))];
    }

    private void Finish(ResourceType type, JsonObject app, JsonObject driver, List<JsonObject> executors, RunPlan plan)
    {
        _allRunningSince.Remove(app.Uid());
        var failed = plan.FailureMessage is not null;
        foreach (var executor in executors)
        {
            Owners.Terminate(state, executor, failed ? 143 : 0, null, "INFO Executor: Told to shut down by the driver");
        }
        if (failed)
        {
            Owners.Terminate(state, driver, 1, plan.FailureMessage, $"Exception in thread \"main\" java.lang.RuntimeException: {plan.FailureMessage}");
            Fail(type, app, plan.FailureMessage!);
            return;
        }
        Owners.Terminate(state, driver, 0, null, "Pi is roughly 3.1415926 (sandbox)");
        Owners.UpdateStatus(state, type, app, status =>
        {
            status["applicationState"] = new JsonObject { ["state"] = "SUCCEEDING" };
            status["executorState"] = new JsonObject([.. executors.Select(e => KeyValuePair.Create(e.Name(), (JsonNode?)"COMPLETED"))]);
        });
    }

    private void Fail(ResourceType type, JsonObject app, string message)
    {
        Owners.UpdateStatus(state, type, app, status =>
        {
            status["applicationState"] = new JsonObject { ["state"] = "FAILING", ["errorMessage"] = message };
            if (status["executorState"] is JsonObject executors)
            {
                foreach (var name in executors.Select(e => e.Key).ToList())
                {
                    executors[name] = "FAILED";
                }
            }
        });
    }

    private void End(ResourceType type, JsonObject app, string final)
    {
        Owners.UpdateStatus(state, type, app, status =>
        {
            var message = status["applicationState"]?["errorMessage"]?.DeepClone();
            status["applicationState"] = new JsonObject { ["state"] = final };
            if (message is not null)
            {
                status["applicationState"]!["errorMessage"] = message;
            }
            status["terminationTime"] = ObjectMeta.Timestamp(state.Time.GetUtcNow());
        });
    }

    private void ExpireIfDue(ResourceType type, JsonObject app)
    {
        if (app["spec"]?["timeToLiveSeconds"] is not JsonValue ttl || !ttl.TryGetValue<long>(out var seconds)
            || !DateTimeOffset.TryParse(ObjectMeta.Text(app["status"]?["terminationTime"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ended)
            || state.Time.GetUtcNow() < ended.AddSeconds(seconds))
        {
            return;
        }
        try
        {
            state.Store.Delete(type, ObjectKey.For(type, app.Namespace(), app.Name()));
        }
        catch (Api.ApiException e) when (e.Code == 404)
        {
            // Deleted by someone else first.
        }
    }

    private static string ExecutorState(JsonObject executor) => PodStatus.Phase(executor) switch
    {
        "Pending" => "PENDING",
        "Running" => "RUNNING",
        "Succeeded" => "COMPLETED",
        "Failed" => "FAILED",
        _ => "UNKNOWN",
    };
}
