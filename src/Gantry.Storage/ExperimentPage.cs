using Gantry.Core.Experiments;

namespace Gantry.Storage;

/// <summary>A page of experiments and where the next one starts (null: the last page).</summary>
public sealed record ExperimentPage(IReadOnlyList<ExperimentRun> Items, long? NextBeforeSeq);
