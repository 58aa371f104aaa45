using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gantry.Core.Schemas;
using Gantry.Core.Manifests;

namespace Gantry.Core.Tests.Support;

/// <summary>The operators' real CRDs from shared/crds, each parsed once per test run (they are large).</summary>
internal static class Crds
{
    private static readonly ConcurrentDictionary<string, CustomResourceDefinition> Cache = new();

    public static CustomResourceDefinition SparkApplication => Load("sparkoperator.k8s.io_sparkapplications.yaml");
    public static CustomResourceDefinition ScheduledSparkApplication => Load("sparkoperator.k8s.io_scheduledsparkapplications.yaml");
    public static CustomResourceDefinition PyTorchJob => Load("kubeflow.org_pytorchjobs.yaml");
    public static CustomResourceDefinition JaxJob => Load("kubeflow.org_jaxjobs.yaml");

    public static CustomResourceDefinition ForKind(string kind) => kind switch
    {
        "SparkApplication" => SparkApplication,
        "ScheduledSparkApplication" => ScheduledSparkApplication,
        "PyTorchJob" => PyTorchJob,
        "JAXJob" => JaxJob,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no CRD for this kind"),
    };

    private static CustomResourceDefinition Load(string file) =>
        Cache.GetOrAdd(file, f => CustomResourceDefinition.Parse(
            YamlJson.ParseAll(File.ReadAllText(SharedPaths.Crd(f)), DocumentLimits.Files).OfType<JsonObject>().Single()));
}
