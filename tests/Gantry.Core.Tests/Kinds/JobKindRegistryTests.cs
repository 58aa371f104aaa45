using Gantry.Core.Kinds;

namespace Gantry.Core.Tests.Kinds;

public class JobKindRegistryTests
{
    [Fact]
    public void The_default_registry_knows_the_six_built_in_kinds_by_their_exact_names()
    {
        Assert.Equal(["Command", "JAXJob", "Job", "PyTorchJob", "SparkApplication", "TrainJob"], JobKindRegistry.Default.Names);
        Assert.True(JobKindRegistry.Default.TryGet("PyTorchJob", out var kind));
        Assert.IsType<PyTorchJobKind>(kind);
        Assert.False(JobKindRegistry.Default.TryGet("pytorchjob", out _));
    }

    [Theory]
    [InlineData("SparkApplication", "sparkoperator.k8s.io/v1beta2", "sparkapplications")]
    [InlineData("PyTorchJob", "kubeflow.org/v1", "pytorchjobs")]
    [InlineData("JAXJob", "kubeflow.org/v1", "jaxjobs")]
    [InlineData("Job", "batch/v1", "jobs")]
    public void Cluster_kinds_name_their_custom_resource(string name, string apiVersion, string plural)
    {
        Assert.True(JobKindRegistry.Default.TryGet(name, out var kind));
        Assert.Equal(apiVersion, kind.Resource?.ApiVersion);
        Assert.Equal(plural, kind.Resource?.Plural);
    }
}
