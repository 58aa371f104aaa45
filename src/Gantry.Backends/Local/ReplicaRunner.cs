using System.Collections.Concurrent;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// PyTorchJob and JAXJob: one process group per replica, with the Training Operator's
/// environment, its restart policies, <c>backoffLimit</c> and <c>activeDeadlineSeconds</c>; a
/// TrainJob's nodes and a batch/v1 Job's pods the same way (<see cref="TrainJobReplicas"/>, <see cref="BatchJobReplicas"/>).
/// </summary>
internal sealed class ReplicaRunner : ILocalRunner
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

    private readonly LocalProcesses _processes;
    private readonly ConcurrentDictionary<string, LocalJobRun> _jobRuns = new(StringComparer.Ordinal);
    private readonly ReplicaSupervisor _supervisor;

    public ReplicaRunner(LocalProcesses processes)
    {
        _processes = processes;
        _supervisor = new ReplicaSupervisor(processes, _jobRuns);
    }

    public IReadOnlySet<string> Kinds { get; } = new HashSet<string>(StringComparer.Ordinal) { "PyTorchJob", "JAXJob", TrainJobReplicas.Kind, BatchJobReplicas.Kind };

    public Core.Resources.Resources Reserved => _jobRuns.Values.Aggregate(Core.Resources.Resources.Zero, (sum, run) => sum + run.Reserved);

    private LocalBackendOptions Options => _processes.Options;

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        var port = _processes.Ports.Reserve();
        try
        {
            await StartAsync(job, context, port, cancellationToken);
        }
        catch
        {
            _processes.Ports.Release(port);
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
        var uid = _processes.Sandbox.UidFor(context);
        JobSandbox.Prepare(directory, uid);
        var workingDirs = plan.Replicas.ToDictionary(r => r.Name, r => r.WorkingDir is null ? directory.Work : Path.GetFullPath(r.WorkingDir, directory.Root));
        foreach (var (name, dir) in workingDirs.Where(d => !Directory.Exists(d.Value)))
        {
            throw new DispatchException($"The working directory '{dir}' of replica {name} does not exist on this machine.", retryable: false);
        }

        var run = new LocalJobRun(job.Id, plan, job.Demand.Total, directory, port, _processes.Time.GetUtcNow());
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
                var process = _processes.Start(job.Id, context, ReplicaLauncher, [files.Log, files.ExitFile, files.PidFile, files.RestartRequest, replica.RestartPolicy],
                    _processes.Sandbox.Wrap(replica.Command, uid, directory, workingDir), replica.Env, workingDir, directory);
                run.Pids[replica.Name] = process.Id;
                _ = ReapAsync(process);
            }
        }
        catch (DispatchException)
        {
            foreach (var pid in run.Pids.Values)
            {
                _processes.Signal(job.Id, pid, NativeMethods.SigKill);
            }
            _jobRuns.TryRemove(job.Id, out _);
            throw;
        }
        _processes.LogStarted(job.Id, run.Pids[plan.Primary]);
        var notes = string.Concat(plan.Notes.Select(n => $"; {n}"));
        var message = plan.BatchJob
            ? $"started pods {string.Join(", ", plan.Replicas.Select(r => r.Name))} of the Job as local processes{notes}"
            : plan.TrainJob
            ? $"started nodes {string.Join(", ", plan.Replicas.Select(r => r.Name))} of runtime {plan.RuntimeName} as local processes, rank 0 on 127.0.0.1:{port}; " +
              $"the image is ignored locally (the command runs on this machine){notes}"
            : $"started replicas {string.Join(", ", plan.Replicas.Select(r => r.Name))} as local processes, port {port} on 127.0.0.1; " +
              $"the image is ignored locally (the commands run on this machine){notes}";
        await _processes.ReportAsync(new JobUpdate(job.Id, JobState.Running, message, BackendState: ReplicaRunState.ToJson(run)), cancellationToken);
        _ = _supervisor.MonitorAsync(run);
    }

    public bool Cancel(Job job)
    {
        if (!_jobRuns.TryGetValue(job.Id, out var run))
        {
            return false;
        }
        run.CancelRequested = true;
        _supervisor.Terminate(run);
        return true;
    }

    public async Task ResumeAsync(Job job, CancellationToken cancellationToken)
    {
        var directory = JobDirectory.For(Options.JobsDirectory, job.Id);
        var port = ReplicaRunState.SavedPort(job.BackendState);
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, port ?? 0);
        var run = new LocalJobRun(job.Id, plan, job.Demand.Total, directory, port ?? 0, job.StartedAt ?? _processes.Time.GetUtcNow())
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
        if (run.Pids.IsEmpty)
        {
            var update = job.State == JobState.Dispatching
                ? new JobUpdate(job.Id, JobState.Queued, "the gateway restarted before the job's processes started; queued again")
                : LocalProcesses.Ended(job.Id, run.CancelRequested, null, "gateway restarted while the job ran");
            await _processes.ReportAsync(update, cancellationToken);
            return;
        }
        // A replica whose shell ended while no gateway watched may have left processes; its group id
        // is the job's only if one of them still names the job (it may have been given away since).
        var unwatched = run.Pids.Values.Where(pid => !LocalProcesses.IsAlive(pid, job.Id)).ToList();
        run.MarkGone(unwatched, ProcessGroup.LiveGroupsOf(job.Id, unwatched));
        if (port is { } held)
        {
            _processes.Ports.Hold(held);
        }
        _jobRuns[job.Id] = run;
        _processes.LogReattached(job.Id, run.Pids.Values.First());
        if (job.State == JobState.Dispatching)
        {
            await _processes.ReportAsync(new JobUpdate(job.Id, JobState.Running, $"re-attached to {run.Pids.Count} replica processes after a gateway restart"), cancellationToken);
        }
        if (run.CancelRequested)
        {
            _supervisor.Terminate(run);
        }
        _ = _supervisor.MonitorAsync(run);
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

    /// <summary>Waits for a replica's shell so it leaves no zombie; ReplicaSupervisor reads its fate from its files.</summary>
    private static async Task ReapAsync(System.Diagnostics.Process process)
    {
        using (process)
        {
            await process.WaitForExitAsync();
        }
    }
}
