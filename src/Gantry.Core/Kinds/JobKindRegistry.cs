using System.Collections.Frozen;

namespace Gantry.Core.Kinds;

/// <summary>The kinds this Gantry accepts, looked up by the manifest's <c>kind</c>.</summary>
public sealed class JobKindRegistry
{
    private readonly FrozenDictionary<string, IJobKind> _kinds;

    public JobKindRegistry(IEnumerable<IJobKind> kinds)
    {
        _kinds = kinds.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);
    }

    /// <summary>The built-in kinds: SparkApplication, PyTorchJob, JAXJob, TrainJob, Job (batch/v1) and Command, with the documented defaults.</summary>
    public static JobKindRegistry Default { get; } = BuiltIn(TrainingJobKind.DefaultContainerRequest);

    /// <summary>
    /// The built-in kinds, a training job's container that requests no cpu or memory counted as asking
    /// for <paramref name="containerDefault"/>'s.
    /// </summary>
    public static JobKindRegistry BuiltIn(Resources.Resources containerDefault) => new(
    [
        new SparkApplicationKind(),
        new PyTorchJobKind(containerDefault),
        new JaxJobKind(containerDefault),
        new Trainer.TrainJobKind(containerDefault),
        new BatchJobKind(containerDefault),
        new CommandKind(),
    ]);

    public IEnumerable<string> Names => _kinds.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out IJobKind kind) => _kinds.TryGetValue(name, out kind!);
}
