using Gantry.Backends.Local;
using Gantry.Core.Resources;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Options;

/// <summary>Checks the whole configuration at start-up and reports every problem at once, each by its key.</summary>
public sealed class GantryOptionsValidator : IValidateOptions<GantryOptions>
{
    public ValidateOptionsResult Validate(string? name, GantryOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add("Gantry:DataDir must be set (--data-dir or GANTRY_DATA_DIR).");
        }
        if (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out _))
        {
            failures.Add($"Gantry:PublicUrl '{options.PublicUrl}' must be an absolute URL such as http://127.0.0.1:8080.");
        }
        if (options.DashboardDir.Length > 0 && !File.Exists(Path.Combine(options.DashboardDir, "index.html")))
        {
            failures.Add($"Gantry:DashboardDir '{options.DashboardDir}' has no index.html; point it at web/dist after 'npm run build', or leave it empty.");
        }
        switch (options.Storage.Provider)
        {
            case "sqlite":
                break;
            case "postgres" when string.IsNullOrWhiteSpace(options.Storage.ConnectionString):
                failures.Add("Gantry:Storage:ConnectionString is required when Gantry:Storage:Provider is 'postgres'.");
                break;
            case "postgres":
                break;
            default:
                failures.Add($"Gantry:Storage:Provider '{options.Storage.Provider}' is unknown; use 'sqlite' or 'postgres'.");
                break;
        }
        if (options.Scheduler.IntervalMilliseconds is < 10 or > 60_000)
        {
            failures.Add("Gantry:Scheduler:IntervalMilliseconds must be between 10 and 60000.");
        }
        if (options.Scheduler.QueueWindow is < 1 or > 10_000)
        {
            failures.Add("Gantry:Scheduler:QueueWindow must be between 1 and 10000.");
        }
        if (options.Scheduler.ReserveAfterSeconds is < 0 or > 7 * 24 * 3600)
        {
            failures.Add("Gantry:Scheduler:ReserveAfterSeconds must be between 0 and 604800 (a week).");
        }
        if (!Quantity.TryParseCpuMillis(options.Scheduler.DefaultContainerCpu, out _, out var defaultCpuProblem))
        {
            failures.Add($"Gantry:Scheduler:DefaultContainerCpu: {defaultCpuProblem}");
        }
        if (!Quantity.TryParseBytes(options.Scheduler.DefaultContainerMemory, out _, out var defaultMemoryProblem))
        {
            failures.Add($"Gantry:Scheduler:DefaultContainerMemory: {defaultMemoryProblem}");
        }
        if (options.Limits.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add("Gantry:Limits:MaxBodyBytes must be between 1024 and 67108864.");
        }
        if (options.Limits.MaxPageSize is < 1 or > 10_000)
        {
            failures.Add("Gantry:Limits:MaxPageSize must be between 1 and 10000.");
        }
        Range(failures, "Gantry:Limits:MaxDocumentDepth", options.Limits.MaxDocumentDepth, 8, 512);
        Range(failures, "Gantry:Limits:MaxDocumentNodes", options.Limits.MaxDocumentNodes, 1_000, 10_000_000);
        Range(failures, "Gantry:Limits:MaxStringLength", options.Limits.MaxStringLength, 1_024, 64 * 1024 * 1024);
        Range(failures, "Gantry:Limits:MaxLabels", options.Limits.MaxLabels, 1, 10_000);
        Range(failures, "Gantry:Limits:MaxAnnotationBytes", options.Limits.MaxAnnotationBytes, 1_024, 64 * 1024 * 1024);
        Range(failures, "Gantry:Limits:MaxMetricsPerPush", options.Limits.MaxMetricsPerPush, 1, 1_000_000);
        Range(failures, "Gantry:Limits:MaxKubeconfigBytes", options.Limits.MaxKubeconfigBytes, 1_024, 64 * 1024 * 1024);
        Bucket(failures, "Gantry:RateLimits:Submissions:User", options.RateLimits.Submissions.User);
        Bucket(failures, "Gantry:RateLimits:Submissions:Admin", options.RateLimits.Submissions.Admin);
        Bucket(failures, "Gantry:RateLimits:MetricPushes:User", options.RateLimits.MetricPushes.User);
        Bucket(failures, "Gantry:RateLimits:MetricPushes:Admin", options.RateLimits.MetricPushes.Admin);
        Bucket(failures, "Gantry:RateLimits:Queue", options.RateLimits.Queue);
        foreach (var (queue, bucket) in options.RateLimits.Queues)
        {
            Bucket(failures, $"Gantry:RateLimits:Queues:{queue}", bucket);
        }
        if (options.Local.Cpu.Length > 0 && !Quantity.TryParseCpuMillis(options.Local.Cpu, out _, out var cpuProblem))
        {
            failures.Add($"Gantry:Local:Cpu: {cpuProblem}");
        }
        if (options.Local.Memory.Length > 0 && !Quantity.TryParseBytes(options.Local.Memory, out _, out var memoryProblem))
        {
            failures.Add($"Gantry:Local:Memory: {memoryProblem}");
        }
        if (options.Local.Gpu < 0)
        {
            failures.Add("Gantry:Local:Gpu must not be negative.");
        }
        if (options.Local.CancelGraceSeconds is < 0 or > 3600)
        {
            failures.Add("Gantry:Local:CancelGraceSeconds must be between 0 and 3600.");
        }
        ValidatePortRange(options.Local.PortRange, PortRange.KernelEphemeral(), failures);
        if (options.Local.RestartBackoffMilliseconds is < 0 or > 300_000)
        {
            failures.Add("Gantry:Local:RestartBackoffMilliseconds must be between 0 and 300000 (5 minutes).");
        }
        if (options.Local.SparkSubmit.Length > 0 && !File.Exists(options.Local.SparkSubmit))
        {
            failures.Add($"Gantry:Local:SparkSubmit: no file '{options.Local.SparkSubmit}'; give the path of spark-submit, or leave it empty to use $SPARK_HOME or PATH.");
        }
        ValidateIsolation(options.Local, failures);
        ValidateKubernetes(options.Kubernetes, failures);
        ValidateTokens(options.Tokens, failures);
        ValidateLeader(options.Leader, failures);
        InClusterOptionsValidator.Validate(options.InCluster, Environment.GetEnvironmentVariable, failures);
        if (options.Clusters.ShareTokenExpirationSeconds is < 600 or > 31_536_000)
        {
            failures.Add("Gantry:Clusters:ShareTokenExpirationSeconds must be between 600 (the API server's minimum) and 31536000 (a year).");
        }
        if (options.Experiments.IntervalMilliseconds is < 50 or > 60_000)
        {
            failures.Add("Gantry:Experiments:IntervalMilliseconds must be between 50 and 60000.");
        }
        if (options.Experiments.MaxLogBytes is < 4096 or > 1024 * 1024 * 1024)
        {
            failures.Add("Gantry:Experiments:MaxLogBytes must be between 4096 and 1073741824 (1 GiB).");
        }
        if (options.Metrics.JobCountsMaxAgeMilliseconds is < 0 or > 600_000)
        {
            failures.Add("Gantry:Metrics:JobCountsMaxAgeMilliseconds must be between 0 and 600000 (10 minutes).");
        }
        if (options.Testing.CrashFile.Length > 0 && !Path.IsPathFullyQualified(options.Testing.CrashFile))
        {
            failures.Add("Gantry:Testing:CrashFile must be an absolute path (it is a test's fault injection; leave it empty otherwise).");
        }
        SparkUiOptionsValidator.Validate(options.SparkUi, failures);
        IdentityOptionsValidator.Validate(options.Identity, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateLeader(LeaderOptions leader, List<string> failures)
    {
        if (leader.RenewMilliseconds is < 50 or > 60_000)
        {
            failures.Add("Gantry:Leader:RenewMilliseconds must be between 50 and 60000.");
        }
        if (leader.GiveUpMilliseconds <= leader.RenewMilliseconds)
        {
            failures.Add("Gantry:Leader:GiveUpMilliseconds must be above Gantry:Leader:RenewMilliseconds: a leader needs more than one try to renew.");
        }
        if (leader.LeaseMilliseconds <= leader.GiveUpMilliseconds || leader.LeaseMilliseconds > 600_000)
        {
            failures.Add("Gantry:Leader:LeaseMilliseconds must be above Gantry:Leader:GiveUpMilliseconds (a leader stops acting before its lease can expire) and at most 600000.");
        }
        if (leader.Clock is not ("database" or "local"))
        {
            failures.Add($"Gantry:Leader:Clock '{leader.Clock}' is unknown; use database or local.");
        }
        if (leader.ForgetReplicasAfterSeconds is < 60 or > 2_592_000)
        {
            failures.Add("Gantry:Leader:ForgetReplicasAfterSeconds must be between 60 and 2592000 (30 days).");
        }
        if (leader.AdvertiseUrl.Length > 0 && !(Uri.TryCreate(leader.AdvertiseUrl, UriKind.Absolute, out var advertised) && advertised.Scheme is "http" or "https"))
        {
            failures.Add($"Gantry:Leader:AdvertiseUrl '{leader.AdvertiseUrl}' must be an absolute http or https URL.");
        }
    }

    private static void ValidateTokens(TokensOptions options, List<string> failures)
    {
        if (options.MaxLifetimeDays is < 1 or > 3650)
        {
            failures.Add("Gantry:Tokens:MaxLifetimeDays must be between 1 and 3650 (ten years).");
        }
        if (options.DefaultLifetimeDays < 0 || options.DefaultLifetimeDays > options.MaxLifetimeDays)
        {
            failures.Add("Gantry:Tokens:DefaultLifetimeDays must be between 0 (never expire) and Gantry:Tokens:MaxLifetimeDays.");
        }
        if (options.CacheSeconds is < 0 or > 300)
        {
            failures.Add("Gantry:Tokens:CacheSeconds must be between 0 and 300: it bounds how late another replica sees a revoked token.");
        }
        if (options.SessionHours is < 1 or > 720)
        {
            failures.Add("Gantry:Tokens:SessionHours must be between 1 and 720 (30 days): how long a dashboard sign-in lasts at most.");
        }
    }

    /// <summary>A range inside the ephemeral one would bring back the race it exists to avoid: a connection taking a job's port.</summary>
    internal static void ValidatePortRange(string setting, PortRange ephemeral, List<string> failures)
    {
        if (PortRange.IsAuto(setting))
        {
            return;
        }
        if (!PortRange.TryParse(setting, out var range, out var problem))
        {
            failures.Add($"Gantry:Local:PortRange: {problem}");
        }
        else if (range.Overlaps(ephemeral))
        {
            failures.Add($"Gantry:Local:PortRange {range} overlaps the kernel's ephemeral range {ephemeral} (net.ipv4.ip_local_port_range), "
                + "whose ports an outgoing connection can take before a job binds them; choose ports outside it, or 'auto'.");
        }
    }

    private static void ValidateIsolation(LocalOptions local, List<string> failures)
    {
        var mode = IsolationProbe.Resolve(local.Isolation, isRoot: false, bubblewrapWorks: () => true);
        if (mode is null)
        {
            failures.Add($"Gantry:Local:Isolation '{local.Isolation}' is unknown; use one of {string.Join(", ", IsolationProbe.Modes)}.");
        }
        else if (mode == LocalIsolation.Users && !IsolationProbe.IsRoot)
        {
            failures.Add("Gantry:Local:Isolation 'users' needs the gateway to run as root (to switch to each user's uid); use 'bubblewrap' or 'admins-only'.");
        }
        else if (local.Isolation.Trim().Equals("bubblewrap", StringComparison.OrdinalIgnoreCase) && !IsolationProbe.BubblewrapWorks("bwrap"))
        {
            failures.Add("Gantry:Local:Isolation 'bubblewrap': bwrap is not installed or cannot create its namespaces here (apt-get install bubblewrap; a container may forbid user namespaces); use 'admins-only'.");
        }
        if (local.JobUidBase is < 1000 or > 2_000_000_000)
        {
            failures.Add("Gantry:Local:JobUidBase must be between 1000 and 2000000000.");
        }
        if (local.JobsDirectory.Length > 0 && !Path.IsPathFullyQualified(local.JobsDirectory))
        {
            failures.Add($"Gantry:Local:JobsDirectory '{local.JobsDirectory}' must be an absolute path.");
        }
    }

    private static void ValidateKubernetes(KubernetesOptions options, List<string> failures)
    {
        void Range(int value, int min, int max, string key)
        {
            if (value < min || value > max)
            {
                failures.Add($"Gantry:Kubernetes:{key} must be between {min} and {max}.");
            }
        }
        Range(options.FailureThreshold, 1, 100, nameof(options.FailureThreshold));
        Range(options.FailoverGraceSeconds, 0, 86_400, nameof(options.FailoverGraceSeconds));
        Range(options.ResyncSeconds, 1, 86_400, nameof(options.ResyncSeconds));
        Range(options.WatchTimeoutSeconds, 1, 3600, nameof(options.WatchTimeoutSeconds));
        Range(options.RefreshMilliseconds, 100, 600_000, nameof(options.RefreshMilliseconds));
        Range(options.ProbeTimeoutSeconds, 1, 300, nameof(options.ProbeTimeoutSeconds));
        Range(options.RequestTimeoutSeconds, 1, 600, nameof(options.RequestTimeoutSeconds));
    }

    private static void Bucket(List<string> failures, string key, BucketOptions bucket)
    {
        Range(failures, $"{key}:PerMinute", bucket.PerMinute, 0, 10_000_000);
        if (bucket.PerMinute > 0)
        {
            Range(failures, $"{key}:Burst", bucket.Burst, 1, 10_000_000);
        }
    }

    private static void Range(List<string> failures, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be between {min} and {max} (it is {value}).");
        }
    }
}
