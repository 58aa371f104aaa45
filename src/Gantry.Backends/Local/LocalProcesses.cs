using System.ComponentModel;
using System.Diagnostics;
using Gantry.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Local;

/// <summary>
/// What every local runner shares: starting a command as its own process group under a launcher
/// shell, signalling and recognising it, reporting to the sink, and the gateway's stop signal.
/// </summary>
internal sealed partial class LocalProcesses(LocalBackendOptions options, IJobUpdateSink sink, JobSandbox sandbox, PortAllocator ports, TimeProvider time, ILogger logger) : IDisposable
{
    public LocalBackendOptions Options { get; } = options;
    public JobSandbox Sandbox { get; } = sandbox;
    public PortAllocator Ports { get; } = ports;
    public TimeProvider Time { get; } = time;

    // Set when the gateway stops: jobs keep running, and the next gateway reports their end.
    private readonly CancellationTokenSource _stopping = new();

    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan GiveUpAfterKill = TimeSpan.FromSeconds(10);

    public CancellationToken Stopping => _stopping.Token;

    public Task ReportAsync(JobUpdate update, CancellationToken cancellationToken) => sink.ReportAsync(update, cancellationToken);

    /// <summary>Reports <paramref name="update"/>, logging rather than throwing when it cannot be recorded (nobody waits on it).</summary>
    public async Task ReportQuietlyAsync(JobUpdate update)
    {
        try
        {
            await sink.ReportAsync(update, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReportFailed(ex, update.JobId);
        }
    }

    /// <summary>
    /// Starts <paramref name="command"/> as a new process group under the shell script
    /// <paramref name="launcher"/>, which gets the job id as $0 and <paramref name="launcherArgs"/>
    /// (where to write its pid, log and exit code) before the command.
    /// </summary>
    public Process Start(
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
        if (Options.Isolation != LocalIsolation.None)
        {
            // The gateway's home is not the job's: under Users the job could not write there anyway.
            start.Environment["HOME"] = directory.Work;
        }
        if (Options.Isolation == LocalIsolation.Users && start.Environment.TryGetValue("PATH", out var path) && path is not null)
        {
            start.Environment["PATH"] = JobSandbox.ReachablePath(path);
        }
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        start.Environment["GANTRY_JOB_ID"] = jobId;
        start.Environment["GANTRY_URL"] = Options.GatewayUrl;
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

    public void Signal(string jobId, int pid, int signal)
    {
        if (NativeMethods.Kill(-pid, signal) != 0)
        {
            LogSignalFailed(jobId, signal, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Waits until no process runs in <paramref name="groups"/>, so that a job's end is reported
    /// only once its processes are gone: a launcher shell can end while its command is still
    /// exiting (torch takes a while under load) or leave a background child behind. What is left
    /// gets SIGTERM, then SIGKILL after the grace period, as the kubelet ends a pod's containers. A
    /// process that not even SIGKILL ends (stuck in the kernel) is logged and left after 10 s more.
    /// <paramref name="groups"/> must be the job's now: each was the job's when last seen with a
    /// member (<see cref="ProcessGroup.LiveGroups"/>); one seen empty since may be someone else's.
    /// </summary>
    public async Task DrainAsync(string jobId, IReadOnlyCollection<int> groups)
    {
        var killAt = Time.GetUtcNow() + Options.CancelGracePeriod;
        var sent = 0;
        for (var left = ProcessGroup.LiveGroups(groups); left.Count > 0; left = ProcessGroup.LiveGroups(left))
        {
            var now = Time.GetUtcNow();
            if (now > killAt + GiveUpAfterKill)
            {
                LogProcessesLeft(jobId, string.Join(", ", left));
                return;
            }
            var signal = now >= killAt ? NativeMethods.SigKill : NativeMethods.SigTerm;
            if (signal != sent)
            {
                foreach (var group in left)
                {
                    Signal(jobId, group, signal);
                }
                sent = signal;
            }
            try
            {
                await Task.Delay(DrainPollInterval, Time, Stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="pid"/> runs and is not a zombie; with <paramref name="jobId"/>, also that its
    /// command line names the job. A process in the middle of exec shows an empty command line for an
    /// instant: that counts as ours, or a replica just started would look dead.
    /// </summary>
    public static bool IsAlive(int pid, string? jobId)
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

    /// <summary>The job's end from its exit code, as every local runner words it.</summary>
    public static JobUpdate Ended(string jobId, bool cancelled, int? exitCode, string noExitCodeReason)
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

    /// <summary>The gateway stops: watchers let go, the jobs run on.</summary>
    public void Dispose()
    {
        // Cancelled, never disposed: watchers still ask for its token after the stop (a disposed
        // source throws there), and a source without a timer holds nothing to free.
        _stopping.Cancel();
    }

    // Event ids 2000-2099: the local backend.
    [LoggerMessage(2000, LogLevel.Information, "Job {JobId} started as process group {Pid}")]
    public partial void LogStarted(string jobId, int pid);

    [LoggerMessage(2001, LogLevel.Information, "Job {JobId} re-attached to process group {Pid} after a restart")]
    public partial void LogReattached(string jobId, int pid);

    [LoggerMessage(2002, LogLevel.Information, "Job {JobId} ended {State}: {Reason}")]
    public partial void LogEnded(string jobId, JobState state, string reason);

    [LoggerMessage(2003, LogLevel.Warning, "Signal {Signal} to job {JobId} failed with errno {Errno}")]
    private partial void LogSignalFailed(string jobId, int signal, int errno);

    [LoggerMessage(2004, LogLevel.Error, "Could not record a change of job {JobId}")]
    private partial void LogReportFailed(Exception exception, string jobId);

    [LoggerMessage(2005, LogLevel.Information, "Job {JobId}: replica {Replica} exited {ExitCode} and was restarted (restart {Restarts} of this replica)")]
    public partial void LogReplicaRestarted(string jobId, string replica, int exitCode, int restarts);

    [LoggerMessage(2006, LogLevel.Warning, "Job {JobId} ended, but processes of its groups {Groups} outlived SIGKILL; its end is reported anyway")]
    private partial void LogProcessesLeft(string jobId, string groups);
}
