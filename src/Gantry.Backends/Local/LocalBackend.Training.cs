using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>PyTorchJob and JAXJob: one process group per replica, with the Training Operator's environment.</summary>
public sealed partial class LocalBackend
{
    private static readonly TimeSpan ReplicaPollInterval = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, LocalJobRun> _jobRuns = new(StringComparer.Ordinal);

    private async Task DispatchTrainingAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, port);
        if (plan.Replicas.Count == 0)
        {
            throw new DispatchException("The job has no replicas to run.", retryable: false);
        }
        var directory = JobDirectory.For(_options.JobsDirectory, job.Id);
        Directory.CreateDirectory(directory.Work);
        var workingDirs = plan.Replicas.ToDictionary(r => r.Name, r => r.WorkingDir is null ? directory.Work : Path.GetFullPath(r.WorkingDir, directory.Root));
        foreach (var (name, dir) in workingDirs.Where(d => !Directory.Exists(d.Value)))
        {
            throw new DispatchException($"The working directory '{dir}' of replica {name} does not exist on this machine.", retryable: false);
        }

        var run = new LocalJobRun(job.Id, plan, job.Demand.Total, directory);
        foreach (var replica in plan.Replicas)
        {
            var files = run.Files(replica.Name);
            Directory.CreateDirectory(files.Root);
            File.Delete(files.PidFile);
            File.Delete(files.ExitFile);
        }
        _jobRuns[job.Id] = run;
        try
        {
            // All at once: torch's TCPStore and the JAX coordinator client retry until rank 0 listens.
            foreach (var replica in plan.Replicas)
            {
                var process = Start(job.Id, context, replica.Command, replica.Env, run.Files(replica.Name), workingDirs[replica.Name]);
                run.Pids[replica.Name] = process.Id;
                _ = ReapAsync(process);
            }
        }
        catch (DispatchException)
        {
            foreach (var pid in run.Pids.Values)
            {
                Signal(job.Id, pid, NativeMethods.SigKill);
            }
            _jobRuns.TryRemove(job.Id, out _);
            throw;
        }
        LogStarted(job.Id, run.Pids[plan.Primary]);
        var notes = string.Concat(plan.Notes.Select(n => $"; {n}"));
        var message = $"started replicas {string.Join(", ", plan.Replicas.Select(r => r.Name))} as local processes, port {port} on 127.0.0.1; " +
            $"the image is ignored locally (the commands run on this machine){notes}";
        await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Running, message, BackendState: TrainingStateJson(run, port)), cancellationToken);
        _ = MonitorAsync(run);
    }

    private void CancelTraining(LocalJobRun run)
    {
        run.CancelRequested = true;
        Terminate(run);
    }

    private async Task ResumeTrainingAsync(Job job, CancellationToken cancellationToken)
    {
        var directory = JobDirectory.For(_options.JobsDirectory, job.Id);
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, 0);
        var run = new LocalJobRun(job.Id, plan, job.Demand.Total, directory) { CancelRequested = job.State == JobState.Cancelling };
        foreach (var replica in plan.Replicas)
        {
            if (run.Files(replica.Name).ReadPid() is { } pid)
            {
                run.Pids[replica.Name] = pid;
            }
        }
        if (run.Pids.Count == 0)
        {
            var update = job.State == JobState.Dispatching
                ? new JobUpdate(job.Id, JobState.Queued, "the gateway restarted before the job's processes started; queued again")
                : Ended(job.Id, run.CancelRequested, null, "gateway restarted while the job ran");
            await _sink.ReportAsync(update, cancellationToken);
            return;
        }
        _jobRuns[job.Id] = run;
        LogReattached(job.Id, run.Pids.Values.First());
        if (job.State == JobState.Dispatching)
        {
            await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Running, $"re-attached to {run.Pids.Count} replica processes after a gateway restart"), cancellationToken);
        }
        if (run.CancelRequested)
        {
            Terminate(run);
        }
        _ = MonitorAsync(run);
    }

    private Task CopyReplicaLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken)
    {
        var plan = ReplicaPlan.For(job.Kind, job.Manifest, 0);
        var names = plan.Replicas.Select(r => r.Name).ToList();
        var replica = request.Replica ?? (names.Count > 0 ? plan.Primary : MainReplica);
        if (!names.Contains(replica, StringComparer.Ordinal))
        {
            throw new UnknownReplicaException(replica, names);
        }
        var log = JobDirectory.For(_options.JobsDirectory, job.Id).Replica(replica).Log;
        return LogFile.CopyAsync(log, request, () => _jobRuns.ContainsKey(job.Id), output, cancellationToken);
    }

    /// <summary>Polls the replicas until the job's end is decided and every replica's processes are gone.</summary>
    private async Task MonitorAsync(LocalJobRun run)
    {
        while (!_stopping.IsCancellationRequested)
        {
            var ended = new Dictionary<string, int?>(StringComparer.Ordinal);
            foreach (var replica in run.Plan.Replicas)
            {
                var files = run.Files(replica.Name);
                var code = files.ReadExitCode();
                if (code is not null || !run.Pids.TryGetValue(replica.Name, out var pid) || !IsAlive(pid, run.JobId))
                {
                    ended[replica.Name] = code ?? files.ReadExitCode();
                }
            }
            if (run.Verdict is null)
            {
                run.Verdict = run.CancelRequested
                    ? new JobUpdate(run.JobId, JobState.Cancelled, "cancelled; every replica's processes were terminated")
                    : LocalJobRun.Decide(run.JobId, run.Plan, ended);
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
                await Task.Delay(ReplicaPollInterval, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task FinishTrainingAsync(LocalJobRun run, JobUpdate update)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _jobRuns.TryRemove(run.JobId, out _);
        LogEnded(run.JobId, update.State, update.Reason);
        try
        {
            await _sink.ReportAsync(update, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(ex, run.JobId);
        }
    }

    /// <summary>SIGTERM to every replica's process group, SIGKILL to those still there after the grace period.</summary>
    private void Terminate(LocalJobRun run)
    {
        foreach (var pid in run.Pids.Values.Where(pid => IsAlive(pid, run.JobId)))
        {
            Signal(run.JobId, pid, NativeMethods.SigTerm);
        }
        _ = KillReplicasAfterGraceAsync(run);
    }

    private async Task KillReplicasAfterGraceAsync(LocalJobRun run)
    {
        await Task.Delay(_options.CancelGracePeriod);
        foreach (var pid in run.Pids.Values.Where(pid => IsAlive(pid, run.JobId)))
        {
            Signal(run.JobId, pid, NativeMethods.SigKill);
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

    /// <summary>A port nobody listens on now: the kernel picks it for a socket bound to port 0, which is then closed.</summary>
    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string TrainingStateJson(LocalJobRun run, int port) =>
        JsonSerializer.Serialize(new { pids = run.Pids, port, directory = run.Directory.Root });
}
