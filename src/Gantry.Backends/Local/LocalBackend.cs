using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.LocalRuns;
using Microsoft.Extensions.Logging;

namespace Gantry.Backends.Local;

/// <summary>
/// Runs jobs as processes on this machine, each kind through its <see cref="ILocalRunner"/>: a
/// Command or SparkApplication as one process group (<see cref="ProcessRunner"/>), a PyTorchJob,
/// JAXJob, TrainJob or batch/v1 Job as one process group per replica, node or pod (<see cref="ReplicaRunner"/>). Each group runs under
/// <c>setsid</c> in a shell that writes its own pid, log and exit code into the job's directory,
/// so the job keeps running, and its outcome stays known, even if the gateway is killed meanwhile.
/// </summary>
public sealed class LocalBackend : IClusterBackend, ICapacitySource, ILogSource, ISparkUiSource, IDisposable
{
    public const string MainReplica = ProcessRunner.MainReplica;

    /// <summary>Why, under <see cref="LocalIsolation.AdminsOnly"/>, the scheduler sends other users' jobs elsewhere.</summary>
    public const string AdminsOnlyReason = "jobs run as the gateway's OS user here; only admins' jobs may run on it (Gantry:Local:Isolation)";

    private readonly LocalBackendOptions _options;
    private readonly Core.Resources.Resources _capacity;
    private readonly LocalProcesses _processes;
    private readonly ProcessRunner _commands;
    private readonly ILocalRunner[] _runners;
    private readonly IReadOnlySet<string> _supportedKinds;

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
        _capacity = options.Capacity ?? MachineCapacity.Detect();
        var sparkSubmit = options.SparkSubmit is { Length: > 0 } configured ? configured : SparkInstallation.FindSparkSubmit(Environment.GetEnvironmentVariable);
        var sandbox = new JobSandbox(options);
        sandbox.PrepareRoot();
        _processes = new LocalProcesses(options, sink, sandbox, ports, time, logger);
        _commands = new ProcessRunner(_processes, sparkSubmit);
        _runners = [_commands, new ReplicaRunner(_processes)];
        _supportedKinds = _runners.SelectMany(r => r.Kinds).ToHashSet(StringComparer.Ordinal);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        Machine = new LocalMachine(
            options.Isolation == LocalIsolation.Users ? JobSandbox.ReachablePath(path) : path, MachineFiles.Instance, sparkSubmit is not null);
    }

    /// <summary>This machine as a job run here finds it: the PATH it gets, its files, whether Spark runs.</summary>
    public LocalMachine Machine { get; }

    /// <summary>Why this machine cannot really run <paramref name="job"/> (its command or script is not here), or null when it can.</summary>
    public string? WhyNot(Job job)
    {
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(job.Manifest) as System.Text.Json.Nodes.JsonObject ?? [];
        if (job.Kind == BatchJobReplicas.Kind)
        {
            return BatchJobReplicas.WhyNot(manifest) ?? LocalRunCheck.WhyNot(job.Kind, manifest, Machine);
        }
        if (job.Kind != TrainJobReplicas.Kind)
        {
            return LocalRunCheck.WhyNot(job.Kind, manifest, Machine);
        }
        // The command that runs is the trainer's node container once the runtime is applied.
        return TrainJobReplicas.WhyNot(manifest) ?? LocalRunCheck.WhyNot("PyTorchJob", TrainJobReplicas.AsReplicaSpecs(manifest), Machine);
    }

    /// <summary>How this backend isolates jobs; under <see cref="LocalIsolation.AdminsOnly"/> the scheduler sends it admins' jobs only.</summary>
    public LocalIsolation Isolation => _options.Isolation;

    /// <summary>This machine's cores and memory, as the local cluster offers them by default.</summary>
    public static Core.Resources.Resources DetectCapacity() => MachineCapacity.Detect();

    public ClusterStatus Status(Cluster cluster)
    {
        var reserved = _runners.Aggregate(Core.Resources.Resources.Zero, (sum, runner) => sum + runner.Reserved);
        return new ClusterStatus(true, _capacity, _capacity - reserved, _supportedKinds, "this machine")
        {
            Runtimes = LocalRuntimes.All,
            AdminsOnly = _options.Isolation == LocalIsolation.AdminsOnly ? AdminsOnlyReason : null,
        };
    }

    public async Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken)
    {
        if (RunnerFor(job.Kind) is not { } runner)
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
        await runner.DispatchAsync(job, context, cancellationToken);
    }

    public async Task CancelAsync(Job job, CancellationToken cancellationToken)
    {
        if (RunnerFor(job.Kind)?.Cancel(job) != true)
        {
            await _processes.ReportAsync(new JobUpdate(job.Id, JobState.Cancelled, "cancelled before its process started"), cancellationToken);
        }
    }

    public async Task ResumeAsync(IReadOnlyList<Job> active, CancellationToken cancellationToken)
    {
        foreach (var job in active)
        {
            if (RunnerFor(job.Kind) is { } runner)
            {
                await runner.ResumeAsync(job, cancellationToken);
            }
            else
            {
                // A kind this gateway no longer runs here (Spark gone since): nothing can be re-attached.
                await _processes.ReportAsync(LocalProcesses.Ended(job.Id, job.State == JobState.Cancelling, null,
                    $"gateway restarted without the means to run {job.Kind} jobs here"), cancellationToken);
            }
        }
    }

    public Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken) =>
        (RunnerFor(job.Kind) ?? _commands).CopyLogAsync(job, request, output, cancellationToken);

    /// <summary>spark-submit's UI on loopback while its process runs here.</summary>
    public SparkUiUpstream? FindSparkUi(Job job) =>
        job is { State: JobState.Running or JobState.Cancelling, SparkUiUrl: { } url }
        && _commands.IsRunning(job.Id)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.IsLoopback
            ? new SparkUiUpstream(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), _uiInvoker)
            : null;

    public void Dispose()
    {
        _processes.Dispose();
        _uiInvoker.Dispose();
    }

    private ILocalRunner? RunnerFor(string kind) => _runners.FirstOrDefault(r => r.Kinds.Contains(kind));
}
