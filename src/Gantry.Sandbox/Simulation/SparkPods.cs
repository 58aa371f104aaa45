using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using Gantry.Core.Resources;
using Gantry.Core.Validation;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// The driver pod, executor pods and UI Service the Spark operator (and Spark) create for an
/// application, with their names, labels and requests (the operator's memory-overhead rule, from
/// Gantry.Core's SparkApplicationKind).
/// </summary>
internal static class SparkPods
{
    public const string DriverContainer = "spark-kubernetes-driver";
    public const string ExecutorContainer = "spark-kubernetes-executor";
    public const int UiPort = 4040;

    private static readonly Resources FallbackPod = new(1000, 1408L * 1024 * 1024, 0);

    public static string DriverName(JsonObject app) => ObjectMeta.Text(app["spec"]?["driver"]?["podName"]) ?? $"{app.Name()}-driver";

    public static string ServiceName(JsonObject app) => $"{app.Name()}-ui-svc";

    public static string ExecutorName(JsonObject app, int index) => $"{app.Name()}-{app.Uid().Replace("-", "", StringComparison.Ordinal)[..16]}-exec-{index}";

    public static (Resources Driver, Resources Executor, int Executors) Demand(JsonObject app)
    {
        var demand = new SparkApplicationKind().Analyze(app, new ValidationErrors());
        var driver = demand.Pods.FirstOrDefault(p => p.Role == "driver");
        var executor = demand.Pods.FirstOrDefault(p => p.Role == "executor");
        return (driver?.PerPod ?? FallbackPod, executor?.PerPod ?? FallbackPod, executor?.Count ?? 1);
    }

    public static JsonObject Driver(JsonObject app, Resources request, string submissionId, string appId) =>
        Pod(app, DriverName(app), "driver", DriverContainer, request, Labels(app, "driver", submissionId, appId), Owners.ReferenceTo(app));

    public static JsonObject Executor(JsonObject app, JsonObject driverPod, int index, Resources request, string submissionId, string appId)
    {
        var labels = Labels(app, "executor", submissionId, appId);
        labels["spark-exec-id"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Pod(app, ExecutorName(app, index), "executor", ExecutorContainer, request, labels, Owners.ReferenceTo(driverPod));
    }

    public static JsonObject UiService(JsonObject app, string submissionId, string clusterIp) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject
        {
            ["name"] = ServiceName(app),
            ["namespace"] = app.Namespace(),
            ["labels"] = new JsonObject
            {
                ["sparkoperator.k8s.io/app-name"] = app.Name(),
                ["sparkoperator.k8s.io/submission-id"] = submissionId,
                ["sparkoperator.k8s.io/created-by-spark-operator"] = "true",
            },
            ["ownerReferences"] = Owners.ReferenceTo(app),
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = clusterIp,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "spark-driver-ui-port", ["port"] = UiPort, ["protocol"] = "TCP", ["targetPort"] = UiPort }),
            ["selector"] = new JsonObject { ["sparkoperator.k8s.io/app-name"] = app.Name(), ["spark-role"] = "driver" },
        },
    };

    private static JsonObject Labels(JsonObject app, string role, string submissionId, string appId)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in app.Labels().Where(l => !l.Key.StartsWith("kueue.x-k8s.io/", StringComparison.Ordinal)))
        {
            labels[key] = value;
        }
        foreach (var (key, value) in ObjectMeta.StringMap(app["spec"]?[role]?["labels"]))
        {
            labels[key] = value;
        }
        labels["sparkoperator.k8s.io/app-name"] = app.Name();
        labels["sparkoperator.k8s.io/launched-by-spark-operator"] = "true";
        labels["sparkoperator.k8s.io/submission-id"] = submissionId;
        labels["spark-role"] = role;
        labels["spark-app-selector"] = appId;
        return labels;
    }

    private static JsonObject Pod(JsonObject app, string name, string role, string container, Resources request, JsonObject labels, JsonArray owners)
    {
        var requests = new JsonObject
        {
            ["cpu"] = Quantity.FormatCpu(request.CpuMillis),
            ["memory"] = Quantity.FormatBytes(request.MemoryBytes),
        };
        if (request.Gpu > 0)
        {
            requests[PodRequests.Gpu] = request.Gpu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = container,
                ["image"] = ObjectMeta.Text(app["spec"]?[role]?["image"]) ?? ObjectMeta.Text(app["spec"]?["image"]) ?? "apache/spark",
                ["resources"] = new JsonObject { ["requests"] = requests, ["limits"] = new JsonObject { ["memory"] = requests["memory"]?.DeepClone() } },
            }),
            ["restartPolicy"] = "Never",
            ["schedulerName"] = "default-scheduler",
        };
        if (ObjectMeta.Text(app["spec"]?[role]?["serviceAccount"]) is { } account)
        {
            spec["serviceAccountName"] = account;
        }
        if (app["spec"]?["nodeSelector"] is JsonObject nodeSelector)
        {
            spec["nodeSelector"] = nodeSelector.DeepClone();
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = app.Namespace(), ["labels"] = labels, ["ownerReferences"] = owners },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }
}
