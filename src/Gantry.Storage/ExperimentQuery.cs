using Gantry.Core.Tuning.Progress;

namespace Gantry.Storage;

/// <summary>A page of experiments, newest first: by state and owner, before a sequence number (the cursor).</summary>
public sealed record ExperimentQuery(ExperimentConditionType? State, string? Owner, int Limit, long? BeforeSeq);
