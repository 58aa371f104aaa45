using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Autorest;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Simulation;

/// <summary>Every operator example from shared/examples is accepted unchanged (in a fresh namespace) and runs to its success state.</summary>
[Collection(SandboxCollection.Name)]
public class OperatorExampleTests(SandboxFixture sandbox)
{
    private static readonly Dictionary<string, (string Group, string Version, string Plural)> Kinds = new()
    {
        ["SparkApplication"] = ("sparkoperator.k8s.io", "v1beta2", "sparkapplications"),
        ["ScheduledSparkApplication"] = ("sparkoperator.k8s.io", "v1beta2", "scheduledsparkapplications"),
        ["PyTorchJob"] = ("kubeflow.org", "v1", "pytorchjobs"),
        ["JAXJob"] = ("kubeflow.org", "v1", "jaxjobs"),
    };

    public static TheoryData<string> SparkExamples => ExampleFiles("spark-operator");

    public static TheoryData<string> TrainingExamples => ExampleFiles("training-operator");

    [Theory]
    [MemberData(nameof(SparkExamples))]
    public Task Each_spark_operator_example_completes(string file) =>
        RunAsync("spark-operator", file, o => o.Text("status.applicationState.state") == "COMPLETED");

    [Theory]
    [MemberData(nameof(TrainingExamples))]
    public Task Each_training_operator_example_succeeds(string file) =>
        RunAsync("training-operator", file, o => LastCondition(o) == "Succeeded");

    internal static string? LastCondition(JsonObject job) =>
        job["status"]?["conditions"] is JsonArray { Count: > 0 } conditions ? conditions[^1].Text("type") : null;

    private async Task RunAsync(string operatorName, string file, Func<JsonObject, bool> succeeded)
    {
        var ns = await sandbox.NamespaceAsync("example");
        var jobs = Example(operatorName, file).Where(d => Kinds.ContainsKey(d.Text("kind")!)).ToList();
        Assert.NotEmpty(jobs);
        foreach (var job in jobs)
        {
            job["metadata"]!["namespace"] = ns;
            var (group, version, plural) = Kinds[job.Text("kind")!];
            await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, group, version, ns, plural);
            if (plural == "scheduledsparkapplications")
            {
                continue;   // Stored only: the sandbox runs no cron.
            }
            var name = job.Text("metadata.name")!;
            await Eventually.Until(
                async () => AsNode(await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, ns, plural, name)),
                succeeded, TimeSpan.FromSeconds(60), $"{file}: {name} to succeed");
        }
    }
}
