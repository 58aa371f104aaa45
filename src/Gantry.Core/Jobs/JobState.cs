namespace Gantry.Core.Jobs;

/// <summary>The states of the API contract; their names are part of it.</summary>
public enum JobState
{
    Queued,
    Dispatching,
    Submitted,
    Running,
    Cancelling,
    Succeeded,
    Failed,
    Cancelled,
}
