using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Sandbox;

/// <summary>
/// One simulated Kubernetes cluster in this process: an API server on 127.0.0.1 over HTTPS (its own
/// self-signed certificate), an in-memory object store, and simulated Spark and Training operators.
/// Clients reach it exactly as a real cluster, through <see cref="Kubeconfig"/>.
/// </summary>
public sealed partial class SandboxCluster : IAsyncDisposable
{
    private readonly ClusterState _state;
    private readonly X509Certificate2 _certificate;
    private readonly ClusterSimulation _simulation;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _hostGate = new(1, 1);
    private WebApplication? _api;

    private SandboxCluster(ClusterState state, X509Certificate2 certificate, ILogger logger)
    {
        _state = state;
        _certificate = certificate;
        _logger = logger;
        _simulation = new ClusterSimulation(state, logger);
        CertificateAuthorityData = SelfSignedCertificate.PemBase64(certificate);
    }

    public string Name => _state.Options.Name;

    /// <summary>The labels Gantry registers the cluster with (region, size, GPU type).</summary>
    public IReadOnlyDictionary<string, string> Labels => _state.Options.Labels;

    public Uri Server { get; private set; } = new("https://127.0.0.1/");

    /// <summary>A bearer token with every right in this cluster (group system:masters).</summary>
    public string AdminToken => _state.Tokens.AdminToken;

    /// <summary>Base64 of the PEM serving certificate, as kubeconfig's <c>certificate-authority-data</c>.</summary>
    public string CertificateAuthorityData { get; }

    public SandboxFaults Faults => _state.Faults;

    /// <summary>The service-account issuer: the <c>iss</c> of the tokens this cluster signs (<c>/.well-known/openid-configuration</c>).</summary>
    public string Issuer => _state.Tokens.Issuer.Issuer;

    /// <summary>Where each API server answers the creation counts over HTTP, for cluster admins (docs/sandbox.md).</summary>
    public const string CreationsPath = Api.CreationsHandler.Path;

    /// <summary>
    /// How many custom resources labelled <c>gantry.io/job-id=<paramref name="jobId"/></c> were ever
    /// created on this cluster, deleted ones included (what <see cref="CreationsPath"/> answers).
    /// </summary>
    public int CreationsOf(string jobId) => _state.Store.Creations.Read(jobId) is [var entry] ? entry.Resources.Count : 0;

    /// <summary>
    /// A token for service account <paramref name="serviceAccount"/> (which must exist) signed as
    /// TokenRequest signs them, but issued at <paramref name="issuedAt"/> for <paramref name="lifetime"/>,
    /// neither of which a TokenRequest allows: how tests get a token that has already expired.
    /// </summary>
    public string IssueServiceAccountToken(string @namespace, string serviceAccount, IReadOnlyList<string> audiences, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var account = _state.Store.Get(Store.ObjectKey.For(Store.BuiltInTypes.ServiceAccounts, @namespace, serviceAccount))
            ?? throw new InvalidOperationException($"Service account {@namespace}/{serviceAccount} does not exist.");
        return _state.Tokens.Issue(account, audiences, issuedAt, issuedAt + lifetime, boundTo: null);
    }

    public static async Task<SandboxCluster> StartAsync(SandboxClusterOptions options, CancellationToken ct)
    {
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid sandbox cluster options: {string.Join(" ", problems)}", nameof(options));
        }
        var logger = options.LoggerFactory?.CreateLogger<SandboxCluster>() ?? (ILogger)NullLogger.Instance;
        var adminToken = "sbx-admin." + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
        var state = new ClusterState(options, TimeProvider.System, adminToken);
        var crds = ClusterSeed.Apply(state);
        var cluster = new SandboxCluster(state, SelfSignedCertificate.Create(options.Name), logger);
        await cluster.StartApiAsync(options.Port, ct);
        cluster._simulation.Start();
        Started(logger, options.Name, cluster.Server, options.Nodes.Count, crds);
        return cluster;
    }

    /// <summary>
    /// A kubeconfig (YAML) for this cluster alone, context and cluster named after it, in namespace
    /// <c>default</c>. <paramref name="user"/> is the bearer token to use; null means the admin token.
    /// </summary>
    public string Kubeconfig(string? user = null) => KubeconfigWriter.Write([(this, user ?? AdminToken)]);

    /// <summary>The API server goes away (connections refused, open watches cut); the cluster keeps its state and keeps running jobs.</summary>
    public async Task StopAsync()
    {
        await _hostGate.WaitAsync();
        try
        {
            if (_api is { } api)
            {
                _api = null;
                _state.Store.Hub.DropAll();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await api.StopAsync(grace.Token);
                await api.DisposeAsync();
                ApiStopped(_logger, Name);
            }
        }
        finally
        {
            _hostGate.Release();
        }
    }

    /// <summary>Stops the API server if it runs and starts it again on the same port, with the same state.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartApiAsync(Server.Port, CancellationToken.None);
        ApiRestarted(_logger, Name, Server);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _simulation.DisposeAsync();
        _certificate.Dispose();
        _state.Tokens.Issuer.Dispose();
        _hostGate.Dispose();
    }

    private async Task StartApiAsync(int port, CancellationToken ct)
    {
        await _hostGate.WaitAsync(ct);
        try
        {
            var (app, bound) = await ApiHost.StartAsync(_state, _certificate, port, ct);
            _api = app;
            Server = new Uri($"https://127.0.0.1:{bound}/");
        }
        finally
        {
            _hostGate.Release();
        }
    }
}
