using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Gantry.Backends;
using Gantry.Backends.Local;
using Gantry.Core.Kinds;
using Gantry.Core.Resources;
using Gantry.Core.Scheduling;
using Gantry.Server.Api;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Dashboard;
using Gantry.Server.Jobs;
using Gantry.Server.Monitoring;
using Gantry.Server.Options;
using Gantry.Server.RateLimiting;
using Gantry.Server.Replication;
using Gantry.Server.Scheduling;
using Gantry.Server.SparkUi;
using Gantry.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Hosting;

/// <summary>Composes the gateway: options, store, services, endpoints. <c>gantry serve</c> and the tests both start it here.</summary>
public static class GantryApp
{
    public static async Task<WebApplication> BuildAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The content root is watched for appsettings changes, recursively: never let that be
            // the current directory, which may hold the data dir and its busy SQLite files.
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var options = ValidatedOptions(builder.Configuration);
        var dataDir = DataDirectory.Prepare(options.DataDir);
        if (options.SparkUi.Urls.Length > 0)
        {
            // The UI listeners are Kestrel's too, beside the API's.
            builder.WebHost.UseUrls($"{builder.Configuration["urls"] ?? "http://localhost:5000"};{options.SparkUi.Urls}");
        }
        // SQLite is one process's store: the lock comes before the migrations and goes with the app
        // (or with the process). PostgreSQL replicas share the database and take no lock.
        var dataDirLock = options.Storage.Provider == "postgres" ? null : DataDirectoryLock.Acquire(dataDir.Path, TimeProvider.System);
        WebApplication app;
        try
        {
            var store = await OpenStoreAsync(options, cancellationToken);
            var keyRingKey = KeyRingKey.Load(options, Environment.GetEnvironmentVariable);
            try
            {
                await KeyRingCheck.EnsureOwnAsync(store.KeyRing, keyRingKey, cancellationToken);
            }
            catch
            {
                await store.DisposeAsync();
                throw;
            }
            if (dataDirLock is not null)
            {
                // Through a factory, so that the container owns it and releases it when the app is disposed.
                builder.Services.AddSingleton(_ => dataDirLock);
            }
            builder.Services.AddSingleton(dataDir);
            builder.Services.AddSingleton(store);
            builder.Services.AddGantryServices(builder.Configuration, options, keyRingKey);
            app = builder.Build();
            app.Services.GetService<DataDirectoryLock>();
        }
        catch
        {
            dataDirLock?.Dispose();
            throw;
        }
        var ui = app.Services.GetRequiredService<SparkUiOrigin>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders(ui);
        app.UseSparkUiPathGuard();
        app.UseSparkUiOrigin(ui);
        app.UseRouting();
        app.UseGantryHttpMetrics(options.Metrics);
        app.UseAuthentication();
        app.UseSessionCsrf();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthApi();
        app.MapGantryMetrics(options.Metrics);
        app.UseDashboard(options.DashboardDir.Length > 0 ? options.DashboardDir : null);
        app.MapGroup("/api/v1")
            .RequireAuthorization()
            .MapJobsApi()
            .MapExperimentsApi()
            .MapMetricsApi()
            .MapQueuesApi()
            .MapClustersApi()
            .MapClusterSharesApi()
            .MapClusterRuntimesApi()
            .MapUsersApi()
            .MapSessionApi()
            .MapTokensApi()
            .MapAuditApi()
            .MapReplicasApi()
            .MapSparkUiApi();
        return app;
    }

    private static void AddGantryServices(this IServiceCollection services, IConfiguration configuration, GantryOptions options, X509Certificate2 keyRingKey)
    {
        services.AddGantryDataProtection(keyRingKey);
        services.AddOptions<GantryOptions>().Bind(configuration.GetSection(GantryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GantryOptions>, GantryOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => JobKindRegistry.BuiltIn(sp.GetRequiredService<IOptions<GantryOptions>>().Value.Scheduler.ContainerDefault()));
        services.AddSingleton<IScheduler, FairShareScheduler>();
        services.AddSingleton<JobChangeNotifier>();
        services.AddSingleton(sp => new CrashPoints(sp.GetRequiredService<IOptions<GantryOptions>>().Value.Testing.CrashFile));
        services.AddSingleton<JobLifecycle>();
        services.AddSingleton<IJobUpdateSink>(sp => sp.GetRequiredService<JobLifecycle>());
        services.AddSingleton<JobSubmitter>();
        services.AddSingleton<Experiments.ExperimentSubmitter>();
        services.AddSingleton<Experiments.ExperimentActions>();
        services.AddSingleton<Experiments.TrialMetricsReader>();
        services.AddSingleton<BackendRegistry>();
        services.AddSingleton<KubernetesBackends>();
        services.AddSingleton<ManifestSchemas>();
        services.AddSingleton<ClusterViews>();
        services.AddSingleton<ClusterRegistrar>();
        services.AddSingleton<ClusterImporter>();
        services.AddSingleton<ClusterTester>();
        services.AddSingleton<ClusterSharing>();
        services.AddSingleton<InClusterRegistration>();
        services.AddSingleton<KubernetesKinds>();
        services.AddSingleton<LastRound>();
        services.AddSingleton<Readiness>();
        services.AddSingleton<Explainer>();
        services.AddSingleton<LocalRefusals>();
        services.AddSingleton<TrainJobPlans>();
        services.AddSingleton<QueueUsageReader>();
        services.AddSingleton<AdminBootstrap>();
        services.AddSingleton<TokenCache>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<RequestRateLimiter>();
        var local = LocalOptions(options);
        services.AddSingleton(local);
        services.AddSingleton(new PortAllocator(local.JobPorts));
        services.AddSingleton<LocalBackend>();
        services.AddHttpForwarder();
        services.AddSingleton<SparkUiProxy>();
        services.AddSingleton(new SparkUiOrigin(options));
        services.AddSingleton<SparkUiTickets>();
        services.AddGantryMonitoring();
        services.AddSingleton(sp => ReplicaIdentity.ForThisProcess(sp.GetRequiredService<TimeProvider>(),
            AdvertisedUrl.Resolve(options.Leader.AdvertiseUrl, configuration["urls"], Environment.GetEnvironmentVariable, Environment.MachineName)));
        services.AddSingleton<LeaderExplain>();
        services.AddSingleton<Leadership>();
        services.AddSingleton<LeaderTakeover>();
        // First in, last out: the elector stops after the singleton work, then releases the lease.
        services.AddHostedService<LeaderElector>();
        services.AddSingleton<PostgresChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeFeed>());
        services.AddHostedService<StartupService>();
        services.AddHostedService<SchedulerService>();
        services.AddHostedService<ClusterFailover>();
        services.AddHostedService<Experiments.ExperimentController>();

        services.AddGantryAuthentication(options);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemFields.NameTheField);
        services.AddExceptionHandler<GantryExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddOpenApi();
    }

    /// <summary>Reads and checks the options before anything is opened, so every problem is reported at once.</summary>
    private static GantryOptions ValidatedOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(GantryOptions.Section).Get<GantryOptions>() ?? new GantryOptions();
        var result = new GantryOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(GantryOptions.Section, typeof(GantryOptions), result.Failures);
        }
        return options;
    }

    private static async Task<IGantryStore> OpenStoreAsync(GantryOptions options, CancellationToken cancellationToken)
    {
        if (options.Storage.Provider == "postgres")
        {
            // A partitioned leader's open transaction is ended by the server before its lease expires,
            // so the lease row it may hold locked is free by the time another replica may take it.
            return await StoreFactory.OpenPostgresAsync(options.Storage.ConnectionString, TimeSpan.FromMilliseconds(options.Leader.GiveUpMilliseconds), cancellationToken);
        }
        var path = options.Storage.ConnectionString.Length > 0 ? options.Storage.ConnectionString : Path.Combine(options.DataDir, "gantry.db");
        if (options.Storage.ConnectionString.Length == 0)
        {
            DataDirectory.CreateOwnerOnly(path);
        }
        return await StoreFactory.OpenSqliteAsync(path, options.Storage.SqliteSynchronous, cancellationToken);
    }

    private static LocalBackendOptions LocalOptions(GantryOptions options)
    {
        Resources? capacity = null;
        if (options.Local.Cpu.Length > 0 || options.Local.Memory.Length > 0 || options.Local.Gpu > 0)
        {
            // Any override replaces the detected capacity; unset parts keep the machine's values.
            var machine = LocalBackend.DetectCapacity();
            capacity = new Resources(
                Quantity.TryParseCpuMillis(options.Local.Cpu, out var cpu, out _) ? cpu : machine.CpuMillis,
                Quantity.TryParseBytes(options.Local.Memory, out var memory, out _) ? memory : machine.MemoryBytes,
                options.Local.Gpu);
        }
        var isolation = IsolationProbe.Resolve(options.Local.Isolation, IsolationProbe.IsRoot, () => IsolationProbe.BubblewrapWorks("bwrap"))!.Value;
        return new LocalBackendOptions
        {
            JobsDirectory = JobsDirectory(options, isolation),
            Isolation = isolation,
            JobUidBase = options.Local.JobUidBase,
            HiddenPaths = [options.DataDir, .. KeyRingKey.HiddenPaths(options)],
            GatewayUrl = options.PublicUrl,
            Capacity = capacity,
            JobPorts = PortRange.Resolve(options.Local.PortRange, PortRange.KernelEphemeral()),
            CancelGracePeriod = TimeSpan.FromSeconds(options.Local.CancelGraceSeconds),
            RestartBackoff = TimeSpan.FromMilliseconds(options.Local.RestartBackoffMilliseconds),
            SparkSubmit = options.Local.SparkSubmit.Length > 0 ? options.Local.SparkSubmit : null,
        };
    }

    /// <summary>
    /// Gantry:Local:JobsDirectory, else: under "users" one outside the data dir that job uids can
    /// reach, named after the data dir so two gateways on one machine keep their jobs apart; else
    /// &lt;data dir&gt;/jobs.
    /// </summary>
    private static string JobsDirectory(GantryOptions options, LocalIsolation isolation)
    {
        if (options.Local.JobsDirectory.Length > 0)
        {
            return options.Local.JobsDirectory;
        }
        if (isolation != LocalIsolation.Users)
        {
            return Path.Combine(options.DataDir, "jobs");
        }
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(options.DataDir))))[..12];
        return Path.Combine("/var/lib/gantry/jobs", hash);
    }
}
