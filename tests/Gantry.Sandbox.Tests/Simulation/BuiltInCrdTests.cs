using Gantry.Sandbox.Tests.Support;
using k8s;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Simulation;

/// <summary>Without a CRD directory the sandbox serves its own permissive CRDs for the job kinds (Trainer's with its runtimes and JobSet), and jobs still run.</summary>
public class BuiltInCrdTests
{
    [Fact]
    public async Task Without_real_CRDs_every_kind_is_served_keeps_every_field_and_runs()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "laptop", Tick = TimeSpan.FromMilliseconds(50) }, CancellationToken.None);
        using var client = SandboxFixture.ClientFor(cluster);
        var app = Spark("pi", duration: "100ms");
        app["spec"]!["executor"]!["instances"] = 0;
        app["spec"]!["anything"] = "kept";

        var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(app, SparkGroup, SparkVersion, "default", SparkPlural);
        var done = await Eventually.Until(
            async () => AsNode(await client.CustomObjects.GetNamespacedCustomObjectAsync(SparkGroup, SparkVersion, "default", SparkPlural, "pi")),
            o => o.Text("status.applicationState.state") == "COMPLETED", what: "COMPLETED");

        Assert.Equal(
            [
                "clustertrainingruntimes.trainer.kubeflow.org", "jaxjobs.kubeflow.org", "jobsets.jobset.x-k8s.io", "pytorchjobs.kubeflow.org",
                "scheduledsparkapplications.sparkoperator.k8s.io", "sparkapplications.sparkoperator.k8s.io",
                "trainingruntimes.trainer.kubeflow.org", "trainjobs.trainer.kubeflow.org",
            ],
            crds.Items.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["sparkapp"], crds.Items.Single(c => c.Spec.Names.Plural == "sparkapplications").Spec.Names.ShortNames);
        Assert.Equal("kept", done.Text("spec.anything"));
    }
}
