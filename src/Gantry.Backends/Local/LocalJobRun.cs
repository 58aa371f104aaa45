using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// A training job this backend is running: one process group per replica, each with its own
/// pid, exit-code and log files under <c>replicas/&lt;name&gt;</c> in the job's directory.
/// </summary>
internal sealed class LocalJobRun(string jobId, ReplicaPlan plan, Core.Resources.Resources reserved, JobDirectory directory)
{
    public string JobId { get; } = jobId;
    public ReplicaPlan Plan { get; } = plan;
    public Core.Resources.Resources Reserved { get; } = reserved;
    public JobDirectory Directory { get; } = directory;

    /// <summary>Replica name to the pid of its shell, which leads the replica's process group.</summary>
    public Dictionary<string, int> Pids { get; } = new(StringComparer.Ordinal);

    public volatile bool CancelRequested;

    /// <summary>The job's end, once decided; reported when every replica's processes are gone.</summary>
    public JobUpdate? Verdict { get; set; }

    public JobDirectory Files(string replica) => Directory.Replica(replica);

    /// <summary>
    /// The operator's status rule (training-operator reference, section 5) over the replicas
    /// that have ended (name to exit code, null when killed without one); absent ones still run.
    /// Null while the job goes on. Restarts are not emulated: any failure fails the job.
    /// </summary>
    public static JobUpdate? Decide(string jobId, ReplicaPlan plan, IReadOnlyDictionary<string, int?> ended)
    {
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
                var policy = replica.RestartPolicy == "Never" ? "" : $"; restartPolicy {replica.RestartPolicy} is not emulated locally, so it was not restarted";
                return new JobUpdate(jobId, JobState.Failed, $"replica {replica.Name} {how}{policy}; the other replicas were terminated");
            }
        }
        if (master is null && plan.Replicas.All(r => ended.TryGetValue(r.Name, out var c) && c == 0))
        {
            return new JobUpdate(jobId, JobState.Succeeded, $"all {plan.Replicas.Count} workers succeeded");
        }
        return null;
    }
}
