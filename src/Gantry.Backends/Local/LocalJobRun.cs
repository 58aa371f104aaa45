using System.Collections.Concurrent;
using System.Globalization;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// A training job this backend is running: one process group per replica, each with its own
/// pid, exit-code and log files under <c>replicas/&lt;name&gt;</c> in the job's directory, the
/// job's port, and the restarts made so far.
/// </summary>
internal sealed class LocalJobRun(string jobId, ReplicaPlan plan, Core.Resources.Resources reserved, JobDirectory directory, int port, DateTimeOffset startedAt)
{
    public string JobId { get; } = jobId;
    public ReplicaPlan Plan { get; } = plan;
    public Core.Resources.Resources Reserved { get; } = reserved;
    public JobDirectory Directory { get; } = directory;

    /// <summary>The master's or coordinator's port, held in the <see cref="PortAllocator"/> until the job ends.</summary>
    public int Port { get; } = port;

    /// <summary>Where <c>activeDeadlineSeconds</c> counts from, like the operator's <c>status.startTime</c>.</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>
    /// Replica name to the pid of its shell, which leads the replica's process group. Concurrent: the
    /// run is published before its replicas start (its resources count from then), so a cancel may
    /// read it while the dispatch still fills it.
    /// </summary>
    public ConcurrentDictionary<string, int> Pids { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Groups of ended replicas seen empty: never looked at again, since the kernel may give such a
    /// group's id to another session (another job's launcher among them) at any time.
    /// </summary>
    public HashSet<int> GroupsGone { get; } = [];

    /// <summary>The groups of ended replicas not yet seen empty: each still the job's, as no one else can get its id while it has a member.</summary>
    public List<int> GroupsLeft(IEnumerable<string> ended) =>
        [.. ended.Select(name => Pids.TryGetValue(name, out var pid) ? pid : 0).Where(pid => pid != 0 && !GroupsGone.Contains(pid))];

    /// <summary>Records which of <paramref name="looked"/> were found empty (not in <paramref name="live"/>).</summary>
    public void MarkGone(IEnumerable<int> looked, IReadOnlySet<int> live) => GroupsGone.UnionWith(looked.Where(group => !live.Contains(group)));

    /// <summary>Replica name to the restarts made (as in its <c>restarts</c> file).</summary>
    public Dictionary<string, int> Restarts { get; } = new(StringComparer.Ordinal);

    /// <summary>Replicas decided to run again, to when their back-off ends; counted against backoffLimit already.</summary>
    public Dictionary<string, DateTimeOffset> PendingRestarts { get; } = new(StringComparer.Ordinal);

    public volatile bool CancelRequested;

    /// <summary>The job's end, once decided; reported when every replica's processes are gone.</summary>
    public JobUpdate? Verdict { get; set; }

    /// <summary>Restarts made and decided, over every replica: what the operator sums for backoffLimit.</summary>
    public int TotalRestarts => Restarts.Values.Sum() + PendingRestarts.Count;

    public JobDirectory Files(string replica) => Directory.Replica(replica);

    public bool IsPastDeadline(DateTimeOffset now) =>
        Plan.ActiveDeadlineSeconds is { } seconds && now - StartedAt >= TimeSpan.FromSeconds(seconds);

    /// <summary>The operator's failure when the job ran longer than <c>activeDeadlineSeconds</c>.</summary>
    public JobUpdate DeadlineExceeded() => Plan.BatchJob
        ? new(JobId, JobState.Failed, $"DeadlineExceeded: Job was active longer than specified deadline (activeDeadlineSeconds {Plan.ActiveDeadlineSeconds}); every pod was terminated")
        : Plan.TrainJob
        ? new(JobId, JobState.Failed, $"DeadlineExceeded: TrainJob exceeded its active deadline ({Plan.ActiveDeadlineSeconds}s); every node was terminated")
        : new(JobId, JobState.Failed,
        $"DeadlineExceeded: Job {Plan.JobName} has failed because it was active longer than specified deadline " +
        $"(activeDeadlineSeconds {Plan.ActiveDeadlineSeconds}); every replica was terminated");

    /// <summary>
    /// JobSet's rule for a TrainJob's nodes: Complete once every node succeeded; Failed, naming the
    /// first failed job as JobSet does, once one ended for good with another code.
    /// </summary>
    private static JobUpdate? DecideTrainJob(string jobId, ReplicaPlan plan, IReadOnlyDictionary<string, int?> ended)
    {
        foreach (var replica in plan.Replicas)
        {
            if (ended.TryGetValue(replica.Name, out var code) && code != 0)
            {
                var how = code is null ? "ended without an exit code (killed by a signal)" : $"exited with code {code}";
                return new JobUpdate(jobId, JobState.Failed,
                    $"FailedJobs: jobset failed due to one or more job failures (first failed job: {plan.FirstFailedJob}); {replica.Name} {how}; the other nodes were terminated");
            }
        }
        return plan.Replicas.All(r => ended.TryGetValue(r.Name, out var c) && c == 0)
            ? new JobUpdate(jobId, JobState.Succeeded, $"AllJobsCompleted: jobset completed successfully ({plan.Replicas.Count} nodes)")
            : null;
    }

    /// <summary>
    /// The Job controller's rule for pods that are never replaced from here on (killed without an exit
    /// code, or every one succeeded): Complete once each pod succeeded, Failed when one ended otherwise.
    /// </summary>
    private static JobUpdate? DecideBatchJob(string jobId, ReplicaPlan plan, IReadOnlyDictionary<string, int?> ended)
    {
        foreach (var replica in plan.Replicas)
        {
            if (ended.TryGetValue(replica.Name, out var code) && code != 0)
            {
                var how = code is null ? "ended without an exit code (killed by a signal)" : $"exited with code {code}";
                return new JobUpdate(jobId, JobState.Failed, $"PodFailed: {replica.Name} {how}; the other pods were terminated");
            }
        }
        return plan.Replicas.All(r => ended.TryGetValue(r.Name, out var c) && c == 0)
            ? new JobUpdate(jobId, JobState.Succeeded, $"CompletionsReached: Reached expected number of succeeded pods ({plan.Replicas.Count})")
            : null;
    }

    /// <summary>The operator's failure when one more restart of <paramref name="replica"/> would reach <c>backoffLimit</c>.</summary>
    public JobUpdate BackoffLimitExceeded(ReplicaProcess replica, int exitCode) => Plan.BatchJob
        ? new(JobId, JobState.Failed,
            $"BackoffLimitExceeded: Job has reached the specified backoff limit ({Plan.JobBackoffLimit}); {replica.Name} exited with code {exitCode} " +
            $"after {TotalRestarts} earlier failure{(TotalRestarts == 1 ? "" : "s")}; the other pods were terminated")
        : Plan.TrainJob
        ? new(JobId, JobState.Failed,
            $"FailedJobs: jobset failed due to one or more job failures (first failed job: {Plan.FirstFailedJob}); {replica.Name} exited with code {exitCode} " +
            $"after {TotalRestarts} restart{(TotalRestarts == 1 ? "" : "s")}, reaching the Job's backoffLimit ({Plan.BackoffLimit}); the other nodes were terminated")
        : new(JobId, JobState.Failed,
        $"BackoffLimitExceeded: replica {replica.Name} exited with code {exitCode} after {TotalRestarts} restart{(TotalRestarts == 1 ? "" : "s")}; " +
        $"Job {Plan.JobName} has failed because it has reached the specified backoff limit ({Plan.BackoffLimit}); the other replicas were terminated");

    /// <summary>The event that records a restart: <c>worker-1 restarted (exit 1), 1/3</c>, counted against backoffLimit.</summary>
    public string RestartNote(ReplicaProcess replica, int exitCode)
    {
        var count = TotalRestarts.ToString(CultureInfo.InvariantCulture);
        var limit = Plan.BatchJob ? $"{count} (backoffLimit {Plan.JobBackoffLimit})"
            : Plan.BackoffLimit is { } l ? $"{count}/{l}" : $"{count} (no backoffLimit)";
        return $"{replica.Name} restarted (exit {exitCode}), {limit}";
    }

    /// <summary>
    /// The operator's status rule (training-operator reference, section 5) over the replicas
    /// that have ended for good (name to exit code, null when killed without one); absent ones still
    /// run or wait to be restarted. Null while the job goes on.
    /// </summary>
    public static JobUpdate? Decide(string jobId, ReplicaPlan plan, IReadOnlyDictionary<string, int?> ended)
    {
        if (plan.TrainJob)
        {
            return DecideTrainJob(jobId, plan, ended);
        }
        if (plan.BatchJob)
        {
            return DecideBatchJob(jobId, plan, ended);
        }
        var master = plan.Replicas.FirstOrDefault(r => r.Type == "Master");
        if (master is not null && ended.TryGetValue(master.Name, out var masterCode) && masterCode == 0)
        {
            return new JobUpdate(jobId, JobState.Succeeded, $"{master.Name} succeeded");
        }
        foreach (var replica in plan.Replicas)
        {
            if (ended.TryGetValue(replica.Name, out var code) && code != 0)
            {
                var how = code switch
                {
                    null => "ended without an exit code (killed by a signal)",
                    > 128 => $"failed with exit code {code} (killed by signal {code - 128})",
                    _ => $"failed with exit code {code}",
                };
                var why = code is { } c && replica.RestartPolicy == RestartRule.ExitCode && !RestartRule.IsRetryable(c)
                    ? "; restartPolicy ExitCode restarts only exit codes 128-255"
                    : "";
                return new JobUpdate(jobId, JobState.Failed, $"replica {replica.Name} {how}{why}; the other replicas were terminated");
            }
        }
        if (master is null && plan.Replicas.All(r => ended.TryGetValue(r.Name, out var c) && c == 0))
        {
            return new JobUpdate(jobId, JobState.Succeeded, $"all {plan.Replicas.Count} workers succeeded");
        }
        return null;
    }
}
