namespace Gantry.Server.Options;

/// <summary>The <c>Gantry</c> configuration section. Every key can be set as the environment variable Gantry__Section__Key.</summary>
public sealed class GantryOptions
{
    public const string Section = "Gantry";

    /// <summary>Where the SQLite file, job directories and the admin token live.</summary>
    public string DataDir { get; set; } = "";

    /// <summary>The URL printed for people and handed to jobs as GANTRY_URL.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Where the built dashboard (index.html and assets/) is; empty: wwwroot beside the server, where the build puts it.</summary>
    public string DashboardDir { get; set; } = "";

    public StorageOptions Storage { get; set; } = new();
    public SchedulerOptions Scheduler { get; set; } = new();
    public LimitsOptions Limits { get; set; } = new();
    public LocalOptions Local { get; set; } = new();
    public KubernetesOptions Kubernetes { get; set; } = new();
    public ClustersOptions Clusters { get; set; } = new();
    public MetricsOptions Metrics { get; set; } = new();
    public SparkUiOptions SparkUi { get; set; } = new();
    public TokensOptions Tokens { get; set; } = new();
    public IdentityOptions Identity { get; set; } = new();
    public SecretsOptions Secrets { get; set; } = new();
    public RateLimitsOptions RateLimits { get; set; } = new();
    public LeaderOptions Leader { get; set; } = new();
    public InClusterOptions InCluster { get; set; } = new();
    public ExperimentsOptions Experiments { get; set; } = new();
    public TestingOptions Testing { get; set; } = new();
}
