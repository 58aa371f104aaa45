using Gantry.Core.Errors;
using Gantry.Core.Jobs;

namespace Gantry.Backends;

/// <summary>
/// A finished job whose pods no longer exist: their logs went with them (Gantry keeps no copy of a
/// Kubernetes log). Answered 410 so that the caller learns why the log is empty instead of getting nothing.
/// </summary>
public sealed class LogsGoneException(Job job, string replica)
    : GantryException(Describe(job, replica))
{
    private static string Describe(Job job, string replica)
    {
        var why = job.State == JobState.Cancelled
            ? "it was cancelled, and cancelling deletes the job's resource and with it its pods"
            : $"it ended {job.State} and its pods were deleted since (the operator's clean-up, or the resource was deleted on the cluster)";
        var message = string.IsNullOrEmpty(job.Message) ? "" : $" Last message: {job.Message.TrimEnd('.')}.";
        return $"The pods of job {job.Id} are gone, so the {replica} log cannot be read: {why}.{message}";
    }
}
