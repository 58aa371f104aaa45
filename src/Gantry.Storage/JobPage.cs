using Gantry.Core.Jobs;

namespace Gantry.Storage;

/// <summary>One page; <see cref="NextBeforeSeq"/> is null on the last page.</summary>
public sealed record JobPage(IReadOnlyList<Job> Items, long? NextBeforeSeq);
