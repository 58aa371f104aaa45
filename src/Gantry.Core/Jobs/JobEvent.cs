namespace Gantry.Core.Jobs;

/// <summary>One stored transition: the job's history is the list of these.</summary>
public sealed record JobEvent(string JobId, DateTimeOffset At, JobState? From, JobState To, string Reason)
{
    /// <summary>Store-assigned, increasing; 0 until stored.</summary>
    public long Seq { get; init; }
}
