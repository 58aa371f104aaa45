using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// A Command job, or a SparkApplication as <c>spark-submit --master local</c>: one process group
/// whose shell writes its own pid, log and exit code into the job's directory.
/// </summary>
internal sealed class ProcessRunner : ILocalRunner
{
    public const string MainReplica = "main";
    private const string SparkApplication = "SparkApplication";
    private const string GatewayRestarted = "gateway restarted while the job ran";

    // $0 carries the job id so a re-attaching gateway can tell our process from a reused pid. The
    // shell's own files (pid, log, exit code) are created owner-only; the job's command gets the
    // usual umask back.
    private const string Launcher =
        "umask 077; echo $$ > \"$3\"; log=$1; exitf=$2; shift 3; exec >>\"$log\" 2>&1 </dev/null; umask 022; " +
        "\"$@\"; c=$?; umask 077; echo $c > \"$exitf.tmp\"; mv \"$exitf.tmp\" \"$exitf\"; exit $c";

    private static readonly TimeSpan ReattachPollInterval = TimeSpan.FromMilliseconds(500);

    private readonly LocalProcesses _processes;
    private readonly string? _sparkSubmit;
    private readonly ConcurrentDictionary<string, LocalRun> _runs = new(StringComparer.Ordinal);

    public ProcessRunner(LocalProcesses processes, string? sparkSubmit)
    {
        _processes = processes;
        _sparkSubmit = sparkSubmit;
        Kinds = sparkSubmit is null ? new HashSet<string>(StringComparer.Ordinal) { "Command" } : new HashSet<string>(StringComparer.Ordinal) { "Command", SparkApplication };
    }

    public IReadOnlySet<string> Kinds { get; }

    public Core.Resources.Resources Reserved => _runs.Values.Aggregate(Core.Resources.Resources.Zero, (sum, run) => sum + run.Reserved);

    /// <summary>Whether the job's process runs here now (the Spark UI is reachable only then).</summary>
    public bool IsRunning(string jobId) => _runs.ContainsKey(jobId);

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        string? sparkUiUrl = null;
        int? uiPort = null;
        var spec = CommandSpec.Parse(job.Manifest);
        if (job.Kind == SparkApplication)
        {
            uiPort = _processes.Ports.Reserve();
            spec = new CommandSpec(
                SparkSubmitCommand.Build(_sparkSubmit!, job.Manifest, Environment.ProcessorCount, uiPort.Value, context.UiProxyBase),
                new Dictionary<string, string>(),
                null);
            sparkUiUrl = $"http://127.0.0.1:{uiPort}";
        }
        try
        {
            await StartAsync(job, context, spec, sparkUiUrl, uiPort, cancellationToken);
        }
        catch (DispatchException) when (uiPort is { } port)
        {
            _processes.Ports.Release(port);
            throw;
        }
    }

    private async Task StartAsync(Job job, DispatchContext context, CommandSpec spec, string? sparkUiUrl, int? uiPort, CancellationToken cancellationToken)
    {
        var directory = JobDirectory.For(_processes.Options.JobsDirectory, job.Id);
        var uid = _processes.Sandbox.UidFor(context);
        JobSandbox.Prepare(directory, uid);
        File.Delete(directory.PidFile);
        File.Delete(directory.ExitFile);
        var workingDir = spec.WorkingDir is null ? directory.Work : Path.GetFullPath(spec.WorkingDir, directory.Root);
        if (!Directory.Exists(workingDir))
        {
            throw new DispatchException($"The working directory '{workingDir}' does not exist on this machine.", retryable: false);
        }

        var command = _processes.Sandbox.Wrap(spec.Command, uid, directory, workingDir);
        var process = _processes.Start(job.Id, context, Launcher, [directory.Log, directory.ExitFile, directory.PidFile], command, spec.Env, workingDir, directory);
        var run = new LocalRun(job.Id, process.Id, job.Demand.Total, directory) { Port = uiPort };
        _runs[job.Id] = run;
        _processes.LogStarted(job.Id, process.Id);
        var started = sparkUiUrl is null
            ? $"started as process {process.Id} on this machine"
            : $"started spark-submit --master local as process {process.Id} on this machine; the image is ignored locally";
        await _processes.ReportAsync(new JobUpdate(job.Id, JobState.Running, started, BackendState: BackendStateJson(run), SparkUiUrl: sparkUiUrl), cancellationToken);
        _ = WatchChildAsync(run, process);
    }

    public bool Cancel(Job job)
    {
        if (!_runs.TryGetValue(job.Id, out var run))
        {
            return false;
        }
        run.CancelRequested = true;
        Signal(run, NativeMethods.SigTerm);
        _ = KillAfterGraceAsync(run);
        return true;
    }

    public async Task ResumeAsync(Job job, CancellationToken cancellationToken)
    {
        var directory = JobDirectory.For(_processes.Options.JobsDirectory, job.Id);
        var pid = directory.ReadPid();
        if (pid is null)
        {
            var update = job.State == JobState.Dispatching
                ? new JobUpdate(job.Id, JobState.Queued, "the gateway restarted before the job's process started; queued again")
                : LocalProcesses.Ended(job.Id, job.State == JobState.Cancelling, null, GatewayRestarted);
            await _processes.ReportAsync(update, cancellationToken);
            return;
        }
        var uiPort = Uri.TryCreate(job.SparkUiUrl, UriKind.Absolute, out var ui) ? ui.Port : (int?)null;
        var run = new LocalRun(job.Id, pid.Value, job.Demand.Total, directory) { CancelRequested = job.State == JobState.Cancelling, Port = uiPort };
        if (directory.ReadExitCode() is null && IsAlive(run))
        {
            Track(run);
            _processes.LogReattached(job.Id, pid.Value);
            if (job.State == JobState.Dispatching)
            {
                await _processes.ReportAsync(new JobUpdate(job.Id, JobState.Running, $"re-attached to process {pid} after a gateway restart",
                    BackendState: BackendStateJson(run)), cancellationToken);
            }
            if (run.CancelRequested)
            {
                Signal(run, NativeMethods.SigTerm);
                _ = KillAfterGraceAsync(run);
            }
            _ = WatchReattachedAsync(run);
            return;
        }
        if (ProcessGroup.LiveGroupsOf(job.Id, [pid.Value]).Count > 0)
        {
            // Its shell ended while no gateway watched, leaving processes behind: they are ended
            // before the end is reported, without holding up the take-over of the other jobs, and a
            // cancel meanwhile finds the job.
            Track(run);
            _ = FinishAsync(run, GatewayRestarted);
            return;
        }
        await _processes.ReportAsync(LocalProcesses.Ended(job.Id, run.CancelRequested, directory.ReadExitCode(), GatewayRestarted), cancellationToken);
    }

    /// <summary>A resumed run is followed again: its Spark UI port held (FinishAsync releases it), a cancel finds it.</summary>
    private void Track(LocalRun run)
    {
        if (run.Port is { } port)
        {
            _processes.Ports.Hold(port);
        }
        _runs[run.JobId] = run;
    }

    public Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken)
    {
        if (request.Replica is not null && request.Replica != MainReplica)
        {
            throw new UnknownReplicaException(request.Replica, [MainReplica]);
        }
        var directory = JobDirectory.For(_processes.Options.JobsDirectory, job.Id);
        return LogFile.CopyAsync(directory.Log, request, () => _runs.ContainsKey(job.Id), output, cancellationToken);
    }

    private async Task WatchChildAsync(LocalRun run, Process process)
    {
        using (process)
        {
            try
            {
                await process.WaitForExitAsync(_processes.Stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await FinishAsync(run);
    }

    private async Task WatchReattachedAsync(LocalRun run)
    {
        try
        {
            while (IsAlive(run))
            {
                await Task.Delay(ReattachPollInterval, _processes.Stopping);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await FinishAsync(run);
    }

    private async Task FinishAsync(LocalRun run, string noExitCodeReason = "the process ended without an exit code (killed by a signal)")
    {
        // The end is the command's; a cancel that comes while what it left behind is being ended does not change it.
        var update = LocalProcesses.Ended(run.JobId, run.CancelRequested, run.Directory.ReadExitCode(), noExitCodeReason);
        await _processes.DrainAsync(run.JobId, [run.Pid]);
        if (_processes.Stopping.IsCancellationRequested)
        {
            return;
        }
        _runs.TryRemove(run.JobId, out _);
        if (run.Port is { } port)
        {
            _processes.Ports.Release(port);
        }
        _processes.LogEnded(run.JobId, update.State, update.Reason);
        await _processes.ReportQuietlyAsync(update);
    }

    private async Task KillAfterGraceAsync(LocalRun run)
    {
        await Task.Delay(_processes.Options.CancelGracePeriod);
        if (_runs.ContainsKey(run.JobId) && IsAlive(run))
        {
            Signal(run, NativeMethods.SigKill);
        }
    }

    private void Signal(LocalRun run, int signal) => _processes.Signal(run.JobId, run.Pid, signal);

    /// <summary>Alive and still ours: the pid's command line names this job.</summary>
    private static bool IsAlive(LocalRun run) => LocalProcesses.IsAlive(run.Pid, run.JobId);

    private static string BackendStateJson(LocalRun run) =>
        JsonSerializer.Serialize(new { pid = run.Pid, directory = run.Directory.Root });
}
