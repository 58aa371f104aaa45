using System.Text.Json.Nodes;
using Gantry.Core.Kinds;
using static Gantry.Core.Tests.Support.Manifests;
using R = Gantry.Core.Resources.Resources;

namespace Gantry.Core.Tests.Kinds;

public class CommandKindTests
{
    private readonly CommandKind _kind = new();

    private static JsonObject Command() => FromYaml("""
        kind: Command
        spec:
          command: ["python3", "train.py"]
          env: {EPOCHS: "3", SEED: 7}
          workingDir: /work
        """);

    [Fact]
    public void A_command_without_resources_gets_one_cpu_and_512Mi()
    {
        var demand = _kind.AnalyzeValid(Command());

        var main = Assert.Single(demand.Pods);
        Assert.Equal("main", main.Role);
        Assert.Equal(new R(1000, 512 * MiB, 0), main.PerPod);
        Assert.Null(_kind.Resource);
    }

    [Fact]
    public void Resources_are_read_as_kubernetes_quantities_and_a_gpu_count()
    {
        var manifest = Command().Set("spec/resources", FromYaml("{cpu: 250m, memory: 2Gi, gpu: '2'}"));

        Assert.Equal(new R(250, 2 * GiB, 2), _kind.AnalyzeValid(manifest).Total);
    }

    [Fact]
    public void A_numeric_cpu_is_accepted()
    {
        var manifest = Command().Set("spec/resources", FromYaml("{cpu: 1.5}"));

        Assert.Equal(1500, _kind.AnalyzeValid(manifest).Total.CpuMillis);
    }

    [Theory]
    [InlineData("cpu", "-1", "manifest.spec.resources.cpu", "is negative")]
    [InlineData("memory", "512MB", "manifest.spec.resources.memory", "is not a Kubernetes quantity")]
    [InlineData("gpu", "-1", "manifest.spec.resources.gpu", "must be at least 0")]
    public void Bad_resources_name_the_field(string resource, string value, string field, string fragment)
    {
        var manifest = Command().Set($"spec/resources/{resource}", value);

        AssertError(_kind.AnalyzeErrors(manifest), field, fragment);
    }

    [Fact]
    public void The_command_must_be_a_non_empty_list_of_strings()
    {
        var missing = _kind.AnalyzeErrors(Command().Without("spec/command"));
        var empty = _kind.AnalyzeErrors(Command().Set("spec/command", new JsonArray()));
        var mixed = _kind.AnalyzeErrors(Command().Set("spec/command", new JsonArray("python3", 3)));

        AssertError(missing, "manifest.spec.command", "is required");
        AssertError(empty, "manifest.spec.command", "must name the program to run");
        AssertError(mixed, "manifest.spec.command[1]", "must be a string");
    }

    [Fact]
    public void Environment_names_must_be_valid_and_values_scalar()
    {
        var manifest = Command().Set("spec/env", new JsonObject { ["A=B"] = "x", ["LIST"] = new JsonArray() });

        var errors = _kind.AnalyzeErrors(manifest);

        AssertError(errors, "manifest.spec.env", "'A=B' is not a valid variable name");
        AssertError(errors, "manifest.spec.env.LIST", "must be a string");
    }
}
