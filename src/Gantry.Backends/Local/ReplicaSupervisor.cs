using System.Collections.Concurrent;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// Follows a started (or re-attached) replica job until its end: polls its replicas' files,
/// restarts those whose policy allows it, decides the job's end in the Training Operator's order,
/// and terminates the replicas when that end comes first.
/// </summary>
internal sealed class ReplicaSupervisor(LocalProcesses processes, ConcurrentDictionary<string, LocalJobRun> jobRuns)
{
    private static readonly TimeSpan ReplicaPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRestartBackoff = TimeSpan.FromMinutes(5);

    private LocalBackendOptions Options => processes.Options;

    /// <summary>
    /// Polls the replicas until the job's end is decided and every replica's processes are gone:
    /// cancel, then the deadline, then the restarts the policies allow within backoffLimit, then
    /// the operator's status rule, in the order the operator's reconcile loop checks them.
    /// </summary>
    public async Task MonitorAsync(LocalJobRun run)
    {
        while (!processes.Stopping.IsCancellationRequested)
        {
            var ended = new Dictionary<string, int?>(StringComparer.Ordinal);
            var waiting = new List<(ReplicaProcess Replica, int ExitCode)>();
            foreach (var replica in run.Plan.Replicas)
            {
                var files = run.Files(replica.Name);
                // Until its shell has written the pid file the replica is still starting (its process may
                // not show the job's tag yet), so it counts as alive as long as the process exists.
                var alive = run.Pids.TryGetValue(replica.Name, out var pid)
                    && (LocalProcesses.IsAlive(pid, run.JobId) || (files.ReadPid() is null && LocalProcesses.IsAlive(pid, jobId: null)));
                if (alive && File.Exists(files.RestartRequest))
                {
                    continue; // restart asked for, not yet taken up by its shell
                }
                var code = files.ReadExitCode();
                if (alive && code is { } exit && RestartRule.Restarts(replica.RestartPolicy, exit))
                {
                    waiting.Add((replica, exit));
                }
                else if (code is not null || !alive)
                {
                    ended[replica.Name] = code ?? files.ReadExitCode();
                }
            }
            // An ended replica's group is watched until it is empty, so that its id is known to be
            // the job's for as long as something of the job runs in it.
            if (run.GroupsLeft(ended.Keys) is { Count: > 0 } groups)
            {
                run.MarkGone(groups, ProcessGroup.LiveGroups(groups));
            }
            if (run.Verdict is null)
            {
                var now = processes.Time.GetUtcNow();
                run.Verdict = run.CancelRequested
                    ? new JobUpdate(run.JobId, JobState.Cancelled, "cancelled; every replica's processes were terminated")
                    : run.IsPastDeadline(now) ? run.DeadlineExceeded()
                    : await RestartAsync(run, waiting, now) ?? LocalJobRun.Decide(run.JobId, run.Plan, ended);
                if (run.Verdict is not null && ended.Count < run.Plan.Replicas.Count)
                {
                    Terminate(run);
                }
            }
            if (run.Verdict is not null && ended.Count == run.Plan.Replicas.Count)
            {
                await processes.DrainAsync(run.JobId, run.GroupsLeft(run.Pids.Keys));
                await FinishTrainingAsync(run, run.Verdict);
                return;
            }
            try
            {
                await Task.Delay(ReplicaPollInterval, processes.Time, processes.Stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Restarts the replicas whose policy allows it once their back-off has passed, recording each
    /// as an event; answers the job's failure instead when a restart would reach backoffLimit.
    /// </summary>
    private async Task<JobUpdate?> RestartAsync(LocalJobRun run, List<(ReplicaProcess Replica, int ExitCode)> waiting, DateTimeOffset now)
    {
        foreach (var (replica, exitCode) in waiting)
        {
            if (!run.PendingRestarts.TryGetValue(replica.Name, out var due))
            {
                if (RestartRule.ReachesBackoffLimit(run.Plan.BackoffLimit, run.TotalRestarts + 1))
                {
                    return run.BackoffLimitExceeded(replica, exitCode);
                }
                due = now + RestartBackoff(run.Restarts.GetValueOrDefault(replica.Name));
                run.PendingRestarts[replica.Name] = due;
            }
            if (now < due)
            {
                continue;
            }
            var note = run.RestartNote(replica, exitCode);
            run.PendingRestarts.Remove(replica.Name);
            var restarts = run.Restarts[replica.Name] = run.Restarts.GetValueOrDefault(replica.Name) + 1;
            run.Files(replica.Name).RequestRestart(restarts, $"--- gantry: {note} ---");
            processes.LogReplicaRestarted(run.JobId, replica.Name, exitCode, restarts);
            await processes.ReportQuietlyAsync(new JobUpdate(run.JobId, JobState.Running, note, Note: true));
        }
        return null;
    }

    /// <summary>The kubelet's crash-loop back-off: doubling with each restart of the replica, capped at 5 minutes.</summary>
    private TimeSpan RestartBackoff(int restartsSoFar) =>
        TimeSpan.FromTicks((long)Math.Min(Options.RestartBackoff.Ticks * Math.Pow(2, Math.Min(restartsSoFar, 30)), MaxRestartBackoff.Ticks));

    private async Task FinishTrainingAsync(LocalJobRun run, JobUpdate update)
    {
        if (processes.Stopping.IsCancellationRequested)
        {
            return;
        }
        jobRuns.TryRemove(run.JobId, out _);
        processes.Ports.Release(run.Port);
        processes.LogEnded(run.JobId, update.State, update.Reason);
        await processes.ReportQuietlyAsync(update);
    }

    /// <summary>SIGTERM to every replica's process group, SIGKILL to those still there after the grace period.</summary>
    public void Terminate(LocalJobRun run)
    {
        foreach (var pid in run.Pids.Values.Where(pid => LocalProcesses.IsAlive(pid, run.JobId)))
        {
            processes.Signal(run.JobId, pid, NativeMethods.SigTerm);
        }
        _ = KillReplicasAfterGraceAsync(run);
    }

    private async Task KillReplicasAfterGraceAsync(LocalJobRun run)
    {
        await Task.Delay(Options.CancelGracePeriod);
        foreach (var pid in run.Pids.Values.Where(pid => LocalProcesses.IsAlive(pid, run.JobId)))
        {
            processes.Signal(run.JobId, pid, NativeMethods.SigKill);
        }
    }
}
