using Gantry.Core.Errors;

namespace Gantry.Core.Jobs;

public sealed class InvalidTransitionException(string jobId, JobState from, JobState to)
    : GantryException($"Job '{jobId}' cannot go from {from} to {to}.")
{
    public JobState From { get; } = from;
    public JobState To { get; } = to;
}
