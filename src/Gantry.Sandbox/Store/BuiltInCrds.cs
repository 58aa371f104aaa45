using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Store;

/// <summary>
/// Stand-ins for the operators' CRDs when the real ones are not at hand: the same names, versions,
/// status subresource and printer columns, with a schema that keeps whatever spec and status hold.
/// </summary>
internal static class BuiltInCrds
{
    public static IReadOnlyList<JsonObject> All() =>
    [
        Crd("sparkoperator.k8s.io", "v1beta2", "SparkApplication", "sparkapplications", ["sparkapp"],
            Column("Status", ".status.applicationState.state"), Column("Attempts", ".status.executionAttempts"),
            Column("Start", ".status.lastSubmissionAttemptTime"), Column("Finish", ".status.terminationTime"), Age()),
        Crd("sparkoperator.k8s.io", "v1beta2", "ScheduledSparkApplication", "scheduledsparkapplications", ["scheduledsparkapp"],
            Column("Schedule", ".spec.schedule"), Column("Last Run", ".status.lastRun"), Age()),
        Crd("kubeflow.org", "v1", "PyTorchJob", "pytorchjobs", [], Column("State", ".status.conditions[-1:].type"), Age()),
        Crd("kubeflow.org", "v1", "JAXJob", "jaxjobs", [], Column("State", ".status.conditions[-1:].type"), Age()),
        .. Trainer(),
    ];

    /// <summary>Kubeflow Trainer's kinds and the JobSet beneath a TrainJob (JobSet's own CRD is not among the shared files).</summary>
    public static IReadOnlyList<JsonObject> Trainer() =>
    [
        Crd("trainer.kubeflow.org", "v1alpha1", "TrainJob", "trainjobs", [], Column("State", ".status.conditions[-1:].type"), Age()),
        Crd("trainer.kubeflow.org", "v1alpha1", "TrainingRuntime", "trainingruntimes", [], Age()),
        Crd("trainer.kubeflow.org", "v1alpha1", "ClusterTrainingRuntime", "clustertrainingruntimes", [], Age()).WithScope("Cluster"),
        Crd("jobset.x-k8s.io", "v1alpha2", "JobSet", "jobsets", [], Column("Completed", ".status.conditions[?(@.type==\"Completed\")].status"), Age()),
    ];

    private static JsonObject WithScope(this JsonObject crd, string scope)
    {
        crd["spec"]!["scope"] = scope;
        return crd;
    }

    private static JsonObject Crd(string group, string version, string kind, string plural, string[] shortNames, params JsonObject[] columns)
    {
        var open = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{plural}.{group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = group,
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject
                {
                    ["kind"] = kind,
                    ["listKind"] = kind + "List",
                    ["plural"] = plural,
                    ["singular"] = kind.ToLowerInvariant(),
                    ["shortNames"] = new JsonArray([.. shortNames.Select(s => (JsonNode)s)]),
                },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = version,
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                    ["additionalPrinterColumns"] = new JsonArray([.. columns]),
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject
                            {
                                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                                ["kind"] = new JsonObject { ["type"] = "string" },
                                ["metadata"] = new JsonObject { ["type"] = "object" },
                                ["spec"] = open.DeepClone(),
                                ["status"] = open.DeepClone(),
                            },
                        },
                    },
                }),
            },
        };
    }

    private static JsonObject Column(string name, string path) => new() { ["name"] = name, ["type"] = "string", ["jsonPath"] = path };

    private static JsonObject Age() => new() { ["name"] = "Age", ["type"] = "date", ["jsonPath"] = ".metadata.creationTimestamp" };
}
