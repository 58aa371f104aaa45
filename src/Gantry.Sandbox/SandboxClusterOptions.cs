namespace Gantry.Sandbox;

/// <summary>How to build one simulated cluster.</summary>
public sealed record SandboxClusterOptions
{
    public required string Name { get; init; }

    public IReadOnlyList<SandboxNode> Nodes { get; init; } = [new SandboxNode("node-1", "8", "32Gi")];

    /// <summary>Labels Gantry may route on (region, gpu type); also set on every node.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Directory of CRD YAML files (e.g. shared/crds); null installs built-in permissive CRDs.</summary>
    public string? CrdDirectory { get; init; }

    /// <summary>
    /// The ClusterTrainingRuntimes the cluster starts with, by the names Kubeflow Trainer ships
    /// (<see cref="Simulation.SandboxRuntimes.Names"/>); null: every one.
    /// </summary>
    public IReadOnlyList<string>? TrainingRuntimes { get; init; }

    /// <summary>How long a simulated job runs unless its manifest says otherwise (annotation <c>sandbox.gantry.io/duration</c>).</summary>
    public TimeSpan DefaultRunDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Loopback port; 0 picks a free one (kept across <see cref="SandboxCluster.RestartAsync"/>).</summary>
    public int Port { get; init; }

    /// <summary>How often open watches that asked for bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many recent changes a watch can resume from; older versions answer 410 Gone.</summary>
    public int WatchHistorySize { get; init; } = 2000;

    /// <summary>The simulation's step: pods are scheduled, started and finished at this pace.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The service-account issuer (<c>--service-account-issuer</c>): the <c>iss</c> of the tokens it
    /// signs and the <c>issuer</c> its <c>/.well-known/openid-configuration</c> names. Null:
    /// <c>https://NAME.sandbox.invalid</c>, one per cluster. Real clusters often share
    /// <c>https://kubernetes.default.svc.cluster.local</c>; set it to test that.
    /// </summary>
    public string? Issuer { get; init; }

    /// <summary>The issuer in effect: <see cref="Issuer"/> or the per-cluster default.</summary>
    public string IssuerUrl => Issuer ?? $"https://{Name}.sandbox.invalid";

    /// <summary>Where the sandbox logs its start-up and controller failures; null logs nowhere.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Reports every problem with the options at once.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Name must be set.");
        }
        if (Nodes.Count == 0)
        {
            problems.Add("Nodes must hold at least one node.");
        }
        if (Nodes.GroupBy(n => n.Name, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            problems.Add("Nodes must have distinct names.");
        }
        foreach (var node in Nodes)
        {
            if (!Core.Resources.Quantity.TryParseCpuMillis(node.Cpu, out _, out var cpuProblem))
            {
                problems.Add($"Nodes[{node.Name}].Cpu: {cpuProblem}");
            }
            if (!Core.Resources.Quantity.TryParseBytes(node.Memory, out _, out var memoryProblem))
            {
                problems.Add($"Nodes[{node.Name}].Memory: {memoryProblem}");
            }
        }
        if (CrdDirectory is not null && !Directory.Exists(CrdDirectory))
        {
            problems.Add($"CrdDirectory '{CrdDirectory}' does not exist.");
        }
        if (DefaultRunDuration < TimeSpan.Zero || Tick <= TimeSpan.Zero || BookmarkInterval <= TimeSpan.Zero)
        {
            problems.Add("DefaultRunDuration must not be negative; Tick and BookmarkInterval must be positive.");
        }
        if (Port is < 0 or > 65535)
        {
            problems.Add("Port must be between 0 and 65535.");
        }
        if (Issuer is not null && (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme != "https"))
        {
            problems.Add($"Issuer '{Issuer}' must be an https URL, as kube-apiserver requires of --service-account-issuer.");
        }
        if (WatchHistorySize < 1)
        {
            problems.Add("WatchHistorySize must be at least 1.");
        }
        return problems;
    }
}
