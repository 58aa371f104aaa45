using Gantry.Core.Jobs;

namespace Gantry.Core.Failover;

/// <summary>
/// What becomes of a job on a cluster that stopped answering, once the failover grace period has
/// passed. A job that had not started goes back to the queue (it costs no attempt); a running one
/// is retried elsewhere while it has attempts left and fails otherwise; a cancel that cannot reach
/// the cluster is considered done. In every case Gantry stops following the job there, and the
/// cluster's copy is deleted when the cluster answers again, so the job never runs twice.
/// </summary>
public static class LostCluster
{
    /// <summary>Whether a cluster unhealthy since <paramref name="since"/> is lost at <paramref name="now"/>.</summary>
    public static bool IsLost(DateTimeOffset? since, DateTimeOffset now, TimeSpan grace) =>
        since is { } s && now - s >= grace;

    /// <summary>The state <paramref name="job"/> moves to and why, or null when it is not active on <paramref name="cluster"/>.</summary>
    public static FailoverDecision? Decide(Job job, string cluster, DateTimeOffset since)
    {
        if (job.Cluster != cluster)
        {
            return null;
        }
        var lost = $"cluster {cluster} lost (not answering since {since:u})";
        return job.State switch
        {
            JobState.Dispatching or JobState.Submitted =>
                new FailoverDecision(JobState.Queued, $"{lost} before the job started; back in the queue"),
            JobState.Running when job.Attempts < job.MaxAttempts =>
                new FailoverDecision(JobState.Queued, $"{lost} while the job ran (attempt {job.Attempts} of {job.MaxAttempts}); back in the queue for another attempt"),
            JobState.Running =>
                new FailoverDecision(JobState.Failed, $"{lost} while the job ran (attempt {job.Attempts} of {job.MaxAttempts}); no attempts left (maxAttempts)"),
            JobState.Cancelling =>
                new FailoverDecision(JobState.Cancelled, $"{lost} while the job was being cancelled; its copy there is deleted when the cluster answers again"),
            _ => null,
        };
    }
}
