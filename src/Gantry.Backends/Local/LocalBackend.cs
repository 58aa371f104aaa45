using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.LocalRuns;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Local;

/// <summary>
/// Runs jobs as processes on this machine: a Command job as one process group, a PyTorchJob or
/// JAXJob as one process group per replica (LocalBackend.Training.cs). Each group runs under
/// <c>setsid</c> in a shell that writes its own pid, log and exit code into the job's directory,
/// so the job keeps running, and its outcome stays known, even if the gateway is killed meanwhile.
/// </summary>
public sealed partial class LocalBackend : IClusterBackend, ICapacitySource, ILogSource, ISparkUiSource, IDisposable
{
    public const string MainReplica = "main";

    // $0 carries the job id so a re-attaching gateway can tell our process from a reused pid. The
    // shell's own files (pid, log, exit code) are created owner-only; the job's command gets the
    // usual umask back.
    private const string Launcher =
        "umask 077; echo $$ > \"$3\"; log=$1; exitf=$2; shift 3; exec >>\"$log\" 2>&1 </dev/null; umask 022; " +
        "\"$@\"; c=$?; umask 077; echo $c > \"$exitf.tmp\"; mv \"$exitf.tmp\" \"$exitf\"; exit $c";

    private static readonly TimeSpan ReattachPollInterval = TimeSpan.FromMilliseconds(500);
    private const string SparkApplication = "SparkApplication";

    /// <summary>Why, under <see cref="LocalIsolation.AdminsOnly"/>, the scheduler sends other users' jobs elsewhere.</summary>
    public const string AdminsOnlyReason = "jobs run as the gateway's OS user here; only admins' jobs may run on it (Gantry:Local:Isolation)";

    private readonly IReadOnlySet<string> _supportedKinds;
    private readonly string? _sparkSubmit;

    private readonly LocalBackendOptions _options;
    private readonly IJobUpdateSink _sink;
    private readonly ILogger<LocalBackend> _logger;
    private readonly PortAllocator _ports;
    private readonly TimeProvider _time;
    private readonly Core.Resources.Resources _capacity;
    private readonly ConcurrentDictionary<string, LocalRun> _runs = new(StringComparer.Ordinal);
    private readonly JobSandbox _sandbox;

    // Set when the gateway stops: jobs keep running, and the next gateway reports their end.
    private readonly CancellationTokenSource _stopping = new();

    // Loopback only, never through an HTTP proxy; redirects and cookies are the browser's business.
    private readonly HttpMessageInvoker _uiInvoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    public LocalBackend(LocalBackendOptions options, IJobUpdateSink sink, PortAllocator ports, TimeProvider time, ILogger<LocalBackend> logger)
    {
        _options = options;
        _sink = sink;
        _ports = ports;
        _time = time;
        _logger = logger;
        _capacity = options.Capacity ?? MachineCapacity.Detect();
        _sparkSubmit = options.SparkSubmit is { Length: > 0 } configured ? configured : SparkInstallation.FindSparkSubmit(Environment.GetEnvironmentVariable);
        var kinds = new HashSet<string>(StringComparer.Ordinal) { "Command", "PyTorchJob", "JAXJob" };
        if (_sparkSubmit is not null)
        {
            kinds.Add(SparkApplication);
        }
        _supportedKinds = kinds;
        _sandbox = new JobSandbox(options);
        _sandbox.PrepareRoot();
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        Machine = new LocalMachine(
            options.Isolation == LocalIsolation.Users ? JobSandbox.ReachablePath(path) : path, MachineFiles.Instance, _sparkSubmit is not null);
    }

    /// <summary>This machine as a job run here finds it: the PATH it gets (see <see cref="Start"/>), its files, whether Spark runs.</summary>
    public LocalMachine Machine { get; }

    /// <summary>Why this machine cannot really run <paramref name="job"/> (its command or script is not here), or null when it can.</summary>
    public string? WhyNot(Job job) =>
        LocalRunCheck.WhyNot(job.Kind, System.Text.Json.Nodes.JsonNode.Parse(job.Manifest) as System.Text.Json.Nodes.JsonObject ?? [], Machine);

    /// <summary>How this backend isolates jobs; under <see cref="LocalIsolation.AdminsOnly"/> the scheduler sends it admins' jobs only.</summary>
    public LocalIsolation Isolation => _options.Isolation;

    /// <summary>This machine's cores and memory, as the local cluster offers them by default.</summary>
    public static Core.Resources.Resources DetectCapacity() => MachineCapacity.Detect();

    public ClusterStatus Status(Cluster cluster)
    {
        var reserved = _runs.Values.Aggregate(Core.Resources.Resources.Zero, (sum, run) => sum + run.Reserved);
        reserved = _jobRuns.Values.Aggregate(reserved, (sum, run) => sum + run.Reserved);
        return new ClusterStatus(true, _capacity, _capacity - reserved, _supportedKinds, "this machine")
        {
            AdminsOnly = _options.Isolation == LocalIsolation.AdminsOnly ? AdminsOnlyReason : null,
        };
    }

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        if (!_supportedKinds.Contains(job.Kind))
        {
            throw new DispatchException($"The local backend cannot run {job.Kind} jobs; it runs {string.Join(", ", _supportedKinds)}.", retryable: false);
        }
        if (_options.Isolation == LocalIsolation.AdminsOnly && context.Owner is not { IsAdmin: true })
        {
            // The scheduler does not place such a job here; this holds even if a placement raced a role change.
            throw new DispatchException(AdminsOnlyReason, retryable: false);
        }
        // The scheduler does not place such a job here either; this holds if the files went since,
        // and keeps a replica with no command from "succeeding" at once having run nothing.
        if (WhyNot(job) is { } why)
        {
            throw new DispatchException(why, retryable: false);
        }
        if (ReplicaPlan.Supports(job.Kind))
        {
            await DispatchTrainingAsync(job, context, cancellationToken);
            return;
        }
        string? sparkUiUrl = null;
        int? uiPort = null;
        var spec = CommandSpec.Parse(job.Manifest);
        if (job.Kind == SparkApplication)
        {
            uiPort = _ports.Reserve();
            spec = new CommandSpec(
                SparkSubmitCommand.Build(_sparkSubmit!, job.Manifest, Environment.ProcessorCount, uiPort.Value, context.UiProxyBase),
                new Dictionary<string, string>(),
                null);
            sparkUiUrl = $"http://127.0.0.1:{uiPort}";
        }
        try
        {
            await StartCommandAsync(job, context, spec, sparkUiUrl, uiPort, cancellationToken);
        }
        catch (DispatchException) when (uiPort is { } port)
        {
            _ports.Release(port);
            throw;
        }
    }

    private async Task StartCommandAsync(Job job, DispatchContext context, CommandSpec spec, string? sparkUiUrl, int? uiPort, CancellationToken cancellationToken)
    {
        var directory = JobDirectory.For(_options.JobsDirectory, job.Id);
        var uid = _sandbox.UidFor(context);
        JobSandbox.Prepare(directory, uid);
        File.Delete(directory.PidFile);
        File.Delete(directory.ExitFile);
        var workingDir = spec.WorkingDir is null ? directory.Work : Path.GetFullPath(spec.WorkingDir, directory.Root);
        if (!Directory.Exists(workingDir))
        {
            throw new DispatchException($"The working directory '{workingDir}' does not exist on this machine.", retryable: false);
        }

        var command = _sandbox.Wrap(spec.Command, uid, directory, workingDir);
        var process = Start(job.Id, context, Launcher, [directory.Log, directory.ExitFile, directory.PidFile], command, spec.Env, workingDir, directory);
        var run = new LocalRun(job.Id, process.Id, job.Demand.Total, directory) { Port = uiPort };
        _runs[job.Id] = run;
        LogStarted(job.Id, process.Id);
        var started = sparkUiUrl is null
            ? $"started as process {process.Id} on this machine"
            : $"started spark-submit --master local as process {process.Id} on this machine; the image is ignored locally";
        await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Running, started, BackendState: BackendStateJson(run), SparkUiUrl: sparkUiUrl), cancellationToken);
        _ = WatchChildAsync(run, process);
    }

    public async Task CancelAsync(Job job, CancellationToken cancellationToken)
    {
        if (_jobRuns.TryGetValue(job.Id, out var training))
        {
            CancelTraining(training);
            return;
        }
        if (!_runs.TryGetValue(job.Id, out var run))
        {
            await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Cancelled, "cancelled before its process started"), cancellationToken);
            return;
        }
        run.CancelRequested = true;
        Signal(run, NativeMethods.SigTerm);
        _ = KillAfterGraceAsync(run);
    }

    public async Task ResumeAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        foreach (var job in active)
        {
            if (ReplicaPlan.Supports(job.Kind))
            {
                await ResumeTrainingAsync(job, cancellationToken);
                continue;
            }
            var directory = JobDirectory.For(_options.JobsDirectory, job.Id);
            var pid = directory.ReadPid();
            if (pid is null)
            {
                var update = job.State == JobState.Dispatching
                    ? new JobUpdate(job.Id, JobState.Queued, "the gateway restarted before the job's process started; queued again")
                    : Ended(job.Id, job.State == JobState.Cancelling, null, "gateway restarted while the job ran");
                await _sink.ReportAsync(update, cancellationToken);
                continue;
            }
            var uiPort = Uri.TryCreate(job.SparkUiUrl, UriKind.Absolute, out var ui) ? ui.Port : (int?)null;
            var run = new LocalRun(job.Id, pid.Value, job.Demand.Total, directory) { CancelRequested = job.State == JobState.Cancelling, Port = uiPort };
            if (directory.ReadExitCode() is null && IsAlive(run))
            {
                if (uiPort is { } port)
                {
                    _ports.Hold(port);
                }
                _runs[job.Id] = run;
                LogReattached(job.Id, pid.Value);
                if (job.State == JobState.Dispatching)
                {
                    await _sink.ReportAsync(new JobUpdate(job.Id, JobState.Running, $"re-attached to process {pid} after a gateway restart",
                        BackendState: BackendStateJson(run)), cancellationToken);
                }
                if (run.CancelRequested)
                {
                    Signal(run, NativeMethods.SigTerm);
                    _ = KillAfterGraceAsync(run);
                }
                _ = WatchReattachedAsync(run);
                continue;
            }
            await _sink.ReportAsync(Ended(job.Id, run.CancelRequested, directory.ReadExitCode(), "gateway restarted while the job ran"), cancellationToken);
        }
    }

    public Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken)
    {
        if (ReplicaPlan.Supports(job.Kind))
        {
            return CopyReplicaLogAsync(job, request, output, cancellationToken);
        }
        if (request.Replica is not null && request.Replica != MainReplica)
        {
            throw new UnknownReplicaException(request.Replica, [MainReplica]);
        }
        var directory = JobDirectory.For(_options.JobsDirectory, job.Id);
        return LogFile.CopyAsync(directory.Log, request, () => _runs.ContainsKey(job.Id), output, cancellationToken);
    }

    /// <summary>
    /// Starts <paramref name="command"/> as a new process group under the shell script
    /// <paramref name="launcher"/>, which gets the job id as $0 and <paramref name="launcherArgs"/>
    /// (where to write its pid, log and exit code) before the command.
    /// </summary>
    private Process Start(
        string jobId, DispatchContext context, string launcher, IReadOnlyList<string> launcherArgs,
        IReadOnlyList<string> command, IReadOnlyDictionary<string, string> env, string workingDir, JobDirectory directory)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "/bin/sh", "-c", launcher, $"gantry-job:{jobId}" }.Concat(launcherArgs))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }
        // The gateway's own credentials and configuration never leak into a job.
        JobSandbox.Scrub(start.Environment);
        if (_options.Isolation != LocalIsolation.None)
        {
            // The gateway's home is not the job's: under Users the job could not write there anyway.
            start.Environment["HOME"] = directory.Work;
        }
        if (_options.Isolation == LocalIsolation.Users && start.Environment.TryGetValue("PATH", out var path) && path is not null)
        {
            start.Environment["PATH"] = JobSandbox.ReachablePath(path);
        }
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        start.Environment["GANTRY_JOB_ID"] = jobId;
        start.Environment["GANTRY_URL"] = _options.GatewayUrl;
        start.Environment["GANTRY_JOB_TOKEN"] = context.JobToken;
        try
        {
            var process = Process.Start(start) ?? throw new DispatchException("The job's process did not start.", retryable: true);
            // The shell redirects its own output to the log; these pipes are never used.
            process.StandardInput.Close();
            return process;
        }
        catch (Win32Exception ex)
        {
            throw new DispatchException($"Could not start the job's process: {ex.Message}", retryable: false, ex);
        }
    }

    private async Task WatchChildAsync(LocalRun run, Process process)
    {
        using (process)
        {
            try
            {
                await process.WaitForExitAsync(_stopping.Token);
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
                await Task.Delay(ReattachPollInterval, _stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await FinishAsync(run);
    }

    private async Task FinishAsync(LocalRun run)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        var update = Ended(run.JobId, run.CancelRequested, run.Directory.ReadExitCode(), "the process ended without an exit code (killed by a signal)");
        _runs.TryRemove(run.JobId, out _);
        if (run.Port is { } port)
        {
            _ports.Release(port);
        }
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

    private static JobUpdate Ended(string jobId, bool cancelled, int? exitCode, string noExitCodeReason)
    {
        if (cancelled)
        {
            return new JobUpdate(jobId, JobState.Cancelled, "cancelled; its processes were terminated");
        }
        return exitCode switch
        {
            0 => new JobUpdate(jobId, JobState.Succeeded, "exit code 0"),
            127 => new JobUpdate(jobId, JobState.Failed, "exit code 127 (command not found)"),
            > 128 => new JobUpdate(jobId, JobState.Failed, $"exit code {exitCode} (killed by signal {exitCode - 128})"),
            { } code => new JobUpdate(jobId, JobState.Failed, $"exit code {code}"),
            null => new JobUpdate(jobId, JobState.Failed, noExitCodeReason),
        };
    }

    private async Task KillAfterGraceAsync(LocalRun run)
    {
        await Task.Delay(_options.CancelGracePeriod);
        if (_runs.ContainsKey(run.JobId) && IsAlive(run))
        {
            Signal(run, NativeMethods.SigKill);
        }
    }

    private void Signal(LocalRun run, int signal) => Signal(run.JobId, run.Pid, signal);

    private void Signal(string jobId, int pid, int signal)
    {
        if (NativeMethods.Kill(-pid, signal) != 0)
        {
            LogSignalFailed(jobId, signal, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Alive and still ours: the pid's command line names this job.</summary>
    private static bool IsAlive(LocalRun run) => IsAlive(run.Pid, run.JobId);

    /// <summary>
    /// Whether <paramref name="pid"/> runs and is not a zombie; with <paramref name="jobId"/>, also that its
    /// command line names the job. A process in the middle of exec shows an empty command line for an
    /// instant: that counts as ours, or a replica just started would look dead.
    /// </summary>
    private static bool IsAlive(int pid, string? jobId)
    {
        try
        {
            var cmdline = jobId is null ? "" : File.ReadAllText($"/proc/{pid}/cmdline");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var zombie = stat.LastIndexOf(')') is var close and > 0 && stat.Length > close + 2 && stat[close + 2] == 'Z';
            return !zombie && (cmdline.Length == 0 || cmdline.Contains($"gantry-job:{jobId}", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>spark-submit's UI on loopback while its process runs here.</summary>
    public SparkUiUpstream? FindSparkUi(Job job) =>
        job is { State: JobState.Running or JobState.Cancelling, SparkUiUrl: { } url }
        && _runs.ContainsKey(job.Id)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.IsLoopback
            ? new SparkUiUpstream(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), _uiInvoker)
            : null;

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _uiInvoker.Dispose();
    }

    private static string BackendStateJson(LocalRun run) =>
        JsonSerializer.Serialize(new { pid = run.Pid, directory = run.Directory.Root });
}
