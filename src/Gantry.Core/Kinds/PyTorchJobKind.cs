using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Core.Kinds;

/// <summary>A Training Operator <c>PyTorchJob</c>: an optional single Master plus Workers, container <c>pytorch</c>.</summary>
public sealed class PyTorchJobKind(Resources.Resources containerDefault) : TrainingJobKind("pytorchjobs", containerDefault)
{
    public PyTorchJobKind()
        : this(DefaultContainerRequest)
    {
    }

    private const string Master = "Master";
    private const string Worker = "Worker";
    private const string SpecPath = "manifest.spec";
    private static readonly string[] NamedProcessCounts = ["auto", "cpu", "gpu"];

    // The operator's init-pytorch container waits for the master's Service: 50m CPU, 10Mi memory requested.
    private static readonly Resources.Resources InitPyTorch = new(50, 10L * 1024 * 1024, 0);

    public override string Name => "PyTorchJob";

    protected override string ReplicaSpecsField => "pytorchReplicaSpecs";

    protected override IReadOnlyList<string> ReplicaTypes { get; } = [Master, Worker];

    protected override string DefaultContainer => "pytorch";

    protected override string? ReplicaCountProblem(string type, long replicas) => type switch
    {
        // The rank-0 address is <job>-master-0, so the webhook allows exactly one.
        Master when replicas != 1 => "must be exactly 1 (a PyTorchJob has a single Master)",
        Worker when replicas < 1 => "must be at least 1",
        _ => null,
    };

    protected override Resources.Resources ImplicitInitContainer(string type, IReadOnlyCollection<string> types) =>
        type == Worker && types.Contains(Master) ? InitPyTorch : Resources.Resources.Zero;

    protected override void CheckSpec(ManifestReader read, JsonObject spec, IReadOnlyCollection<string> types)
    {
        var nproc = read.String(spec, SpecPath, "nprocPerNode");
        if (nproc is not null && !NamedProcessCounts.Contains(nproc, StringComparer.Ordinal)
            && !(int.TryParse(nproc, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1))
        {
            read.Errors.Add($"{SpecPath}.nprocPerNode", $"'{nproc}' must be auto, cpu, gpu or a whole number of at least 1");
        }
        const string elasticPath = $"{SpecPath}.elasticPolicy";
        var elastic = read.Object(spec, SpecPath, "elasticPolicy");
        if (elastic is null)
        {
            return;
        }
        if (!types.Contains(Worker))
        {
            read.Errors.Add(elasticPath, "needs a Worker replica spec (elastic training scales the Workers)");
        }
        var min = read.Integer(elastic, elasticPath, "minReplicas", min: 1, max: int.MaxValue);
        var max = read.Integer(elastic, elasticPath, "maxReplicas", min: 1, max: int.MaxValue);
        if (min is not null && max is not null && max < min)
        {
            read.Errors.Add($"{elasticPath}.maxReplicas", $"must be at least minReplicas ({min})");
        }
        if (read.Integer(elastic, elasticPath, "nProcPerNode", min: 1, max: int.MaxValue) is not null && nproc is not null)
        {
            read.Errors.Add($"{elasticPath}.nProcPerNode", "is deprecated and cannot be set together with spec.nprocPerNode");
        }
    }
}
