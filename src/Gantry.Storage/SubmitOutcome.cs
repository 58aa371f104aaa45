using Gantry.Core.Jobs;

namespace Gantry.Storage;

/// <summary>The stored job, and whether this call created it (false: an idempotent replay).</summary>
public sealed record SubmitOutcome(Job Job, bool Created);
