using System.Collections.Concurrent;
using System.Text.Json;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// PyTorchJob and JAXJob: one process group per replica, with the Training Operator's
/// environment, its restart policies, <c>backoffLimit</c> and <c>activeDeadlineSeconds</c>; a
/// TrainJob's nodes and a batch/v1 Job's pods the same way (<see cref="TrainJobReplicas"/>, <see cref="BatchJobReplicas"/>).
/// </summary>
internal sealed class ReplicaRunner(LocalProcesses processes) : ILocalRunner
{
    // Each replica's shell runs its command in a loop, so a restart keeps the replica's process
    // group, environment (GANTRY_JOB_TOKEN included, which the gateway does not keep) and log, and
    // survives a gateway restart. After each run it writes the exit code; if its restartPolicy
    // (RestartRule, $5) allows another run it waits for the gateway's answer: the restart file
    // ($4), whose marker line goes into the log, or a signal that ends the replica.
    private const string ReplicaLauncher =
        "umask 077; echo $$ > \"$3\"; log=$1; exitf=$2; req=$4; policy=$5; shift 5; exec >>\"$log\" 2>&1 </dev/null; " +
        "while :; do umask 022; \"$@\"; c=$?; umask 077; echo $c > \"$exitf.tmp\"; mv \"$exitf.tmp\" \"$exitf\"; " +
        "case $policy in Always) ;; OnFailure) [ $c -ne 0 ] || exit $c ;; ExitCode) [ $c -ge 128 ] || exit $c ;; *) exit $c ;; esac; " +
        "while [ ! -e \"$req\" ]; do sleep 0.1; done; cat \"$req\"; rm -f \"$exitf\" \"$req\"; done";

    private static readonly TimeSpan ReplicaPollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRestartBackoff = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, LocalJobRun> _jobRuns = new(StringComparer.Ordinal);

    public IReadOnlySet<string> Kinds { get; } = new HashSet<string>(StringComparer.Ordinal) { "PyTorchJob", "JAXJob", TrainJobReplicas.Kind, BatchJobReplicas.Kind };

    public Core.Resources.Resources Reserved => _jobRuns.Values.Aggregate(Core.Resources.Resources.Zero, (sum, run) => sum + run.Reserved);

    private LocalBackendOptions Options => processes.Options;

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        var port = processes.Ports.Reserve();
        try
        {
            await StartAsync(job, context, port, cancellationToken);
        }
        catch
        {
            processes.Ports.Release(port);
            throw;
        }
    }

    private async Task StartAsync(Job job, DispatchContext context, int port, CancellationToken cancellationToken)
    {
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, port);
        if (plan.Replicas.Count == 0)
        {
            throw new DispatchException("The job has no replicas to run.", retryable: false);
        }
        var directory = JobDirectory.For(Options.JobsDirectory, job.Id);
        var uid = processes.Sandbox.UidFor(context);
        JobSandbox.Prepare(directory, uid);
        var workingDirs = plan.Replicas.ToDictionary(r => r.Name, r => r.WorkingDir is null ? directory.Work : Path.GetFullPath(r.WorkingDir, directory.Root));
        foreach (var (name, dir) in workingDirs.Where(d => !Directory.Exists(d.Value)))
        {
            throw new DispatchException($"The working directory '{dir}' of replica {name} does not exist on this machine.", retryable: false);
        }

        var run = new LocalJobRun(job.Id, plan, job.Demand.Total, directory, port, processes.Time.GetUtcNow());
        foreach (var replica in plan.Replicas)
        {
            var files = run.Files(replica.Name);
            Directory.CreateDirectory(files.Root);
            foreach (var stale in new[] { files.PidFile, files.ExitFile, files.RestartRequest, files.RestartsFile })
            {
                File.Delete(stale);
            }
        }
        _jobRuns[job.Id] = run;
        try
        {
            // All at once: torch's TCPStore and the JAX coordinator client retry until rank 0 listens.
            foreach (var replica in plan.Replicas)
            {
                var files = run.Files(replica.Name);
                var workingDir = workingDirs[replica.Name];
                var process = processes.Start(job.Id, context, ReplicaLauncher, [files.Log, files.ExitFile, files.PidFile, files.RestartRequest, replica.RestartPolicy],
                    processes.Sandbox.Wrap(replica.Command, uid, directory, workingDir), replica.Env, workingDir, directory);
                run.Pids[replica.Name] = process.Id;
                _ = ReapAsync(process);
            }
        }
        catch (DispatchException)
        {
            foreach (var pid in run.Pids.Values)
            {
                processes.Signal(job.Id, pid, NativeMethods.SigKill);
            }
            _jobRuns.TryRemove(job.Id, out _);
            throw;
        }
        processes.LogStarted(job.Id, run.Pids[plan.Primary]);
        var notes = string.Concat(plan.Notes.Select(n => $"; {n}"));
        var message = plan.BatchJob
            ? $"started pods {string.Join(", ", plan.Replicas.Select(r => r.Name))} of the Job as local processes{notes}"
            : plan.TrainJob
            ? $"started nodes {string.Join(", ", plan.Replicas.Select(r => r.Name))} of runtime {plan.RuntimeName} as local processes, rank 0 on 127.0.0.1:{port}; " +
              $"the image is ignored locally (the command runs on this machine){notes}"
            : $"started replicas {string.Join(", ", plan.Replicas.Select(r => r.Name))} as local processes, port {port} on 127.0.0.1; " +
              $"the image is ignored locally (the commands run on this machine){notes}";
        await processes.ReportAsync(new JobUpdate(job.Id, JobState.Running, message, BackendState: TrainingStateJson(run)), cancellationToken);
        _ = MonitorAsync(run);
    }

    public bool Cancel(Job job)
    {
        if (!_jobRuns.TryGetValue(job.Id, out var run))
        {
            return false;
        }
        run.CancelRequested = true;
        Terminate(run);
        return true;
    }

    public async Task ResumeAsync(Job job, CancellationToken cancellationToken)
    {
        var directory = JobDirectory.For(Options.JobsDirectory, job.Id);
        var port = SavedPort(job.BackendState);
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, port ?? 0);
        var run = new LocalJobRun(job.Id, plan, job.Demand.Total, directory, port ?? 0, job.StartedAt ?? processes.Time.GetUtcNow())
        {
            CancelRequested = job.State == JobState.Cancelling,
        };
        foreach (var replica in plan.Replicas)
        {
            var files = run.Files(replica.Name);
            if (files.ReadPid() is { } pid)
            {
                run.Pids[replica.Name] = pid;
            }
            run.Restarts[replica.Name] = files.ReadRestarts();
        }
        if (run.Pids.Count == 0)
        {
            var update = job.State == JobState.Dispatching
                ? new JobUpdate(job.Id, JobState.Queued, "the gateway restarted before the job's processes started; queued again")
                : LocalProcesses.Ended(job.Id, run.CancelRequested, null, "gateway restarted while the job ran");
            await processes.ReportAsync(update, cancellationToken);
            return;
        }
        if (port is { } held)
        {
            processes.Ports.Hold(held);
        }
        _jobRuns[job.Id] = run;
        processes.LogReattached(job.Id, run.Pids.Values.First());
        if (job.State == JobState.Dispatching)
        {
            await processes.ReportAsync(new JobUpdate(job.Id, JobState.Running, $"re-attached to {run.Pids.Count} replica processes after a gateway restart"), cancellationToken);
        }
        if (run.CancelRequested)
        {
            Terminate(run);
        }
        _ = MonitorAsync(run);
    }

    public Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken)
    {
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, 0);
        var names = plan.Replicas.Select(r => r.Name).ToList();
        var replica = request.Replica ?? (names.Count > 0 ? plan.Primary : ProcessRunner.MainReplica);
        if (!names.Contains(replica, StringComparer.Ordinal))
        {
            throw new UnknownReplicaException(replica, names);
        }
        var log = JobDirectory.For(Options.JobsDirectory, job.Id).Replica(replica).Log;
        return LogFile.CopyAsync(log, request, () => _jobRuns.ContainsKey(job.Id), output, cancellationToken);
    }

    /// <summary>
    /// Polls the replicas until the job's end is decided and every replica's processes are gone:
    /// cancel, then the deadline, then the restarts the policies allow within backoffLimit, then
    /// the operator's status rule, in the order the operator's reconcile loop checks them.
    /// </summary>
    private async Task MonitorAsync(LocalJobRun run)
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
            await ReportQuietlyAsync(new JobUpdate(run.JobId, JobState.Running, note, Note: true), run.JobId);
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
        _jobRuns.TryRemove(run.JobId, out _);
        processes.Ports.Release(run.Port);
        processes.LogEnded(run.JobId, update.State, update.Reason);
        await ReportQuietlyAsync(update, run.JobId);
    }

    private Task ReportQuietlyAsync(JobUpdate update, string jobId) => processes.ReportQuietlyAsync(update);

    /// <summary>SIGTERM to every replica's process group, SIGKILL to those still there after the grace period.</summary>
    private void Terminate(LocalJobRun run)
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

    /// <summary>Waits for a replica's shell so it leaves no zombie; MonitorAsync reads its fate from its files.</summary>
    private static async Task ReapAsync(System.Diagnostics.Process process)
    {
        using (process)
        {
            await process.WaitForExitAsync();
        }
    }

    private static string TrainingStateJson(LocalJobRun run) =>
        JsonSerializer.Serialize(new { pids = run.Pids, port = run.Port, directory = run.Directory.Root });

    /// <summary>The port a job was dispatched with, from its backend state; null for a job started before ports were saved.</summary>
    private static int? SavedPort(string? backendState)
    {
        if (backendState is null)
        {
            return null;
        }
        try
        {
            using var state = JsonDocument.Parse(backendState);
            return state.RootElement.TryGetProperty("port", out var port) && port.TryGetInt32(out var value) && value > 0 ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
