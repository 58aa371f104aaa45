using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gantry.Server.Auth;
using Gantry.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Testing;

/// <summary>
/// A real gateway (Kestrel on a free loopback port, the real store, the local backend) with
/// its own data dir. Restartable on the same data dir to test what survives a restart.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    private TestGateway(string dataDir, int port, int uiPort, IDictionary<string, string?> extra)
    {
        DataDir = dataDir;
        Url = $"http://127.0.0.1:{port}";
        UiUrl = $"http://127.0.0.1:{uiPort}";
        _settings = new Dictionary<string, string?>
        {
            ["urls"] = Url,
            ["Gantry:SparkUi:Urls"] = UiUrl,
            ["Gantry:DataDir"] = dataDir,
            ["Gantry:PublicUrl"] = Url,
            ["Gantry:Scheduler:IntervalMilliseconds"] = "100",
            ["Gantry:Local:CancelGraceSeconds"] = "2",
            ["Gantry:Local:RestartBackoffMilliseconds"] = "50",
        };
        foreach (var (key, value) in extra)
        {
            _settings[key] = value;
        }
    }

    public string DataDir { get; }
    public string Url { get; }

    /// <summary>The Spark UI origin's listener (Gantry:SparkUi:Urls).</summary>
    public string UiUrl { get; }
    public string AdminToken { get; private set; } = "";
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway is not running.");

    /// <summary>Starts a gateway; <paramref name="settings"/> override configuration keys such as "Gantry:Local:Cpu".</summary>
    public static async Task<TestGateway> StartAsync(IDictionary<string, string?>? settings = null, string? dataDir = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        var gateway = new TestGateway(dataDir, FreePorts.Next(), FreePorts.Next(), settings ?? new Dictionary<string, string?>());
        await gateway.RestartAsync();
        return gateway;
    }

    /// <summary>Stops the gateway (if running) and starts a new one on the same data dir and port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _app = await GantryApp.BuildAsync([], _settings);
        await _app.StartAsync();
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDir, "admin.token"))).Trim();
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        return client;
    }

    public HttpClient AnonymousClient() => new() { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Creates a user with role "user" and answers a client holding its token.</summary>
    public async Task<HttpClient> UserClientAsync(string name)
    {
        using var admin = Client();
        var response = await admin.PostAsJsonAsync("api/v1/users", new { name, role = "user" });
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<JsonObject>(Json);
        return Client(issued!["token"]!.GetValue<string>());
    }

    public async Task SetCordonAsync(bool cordoned)
    {
        using var admin = Client();
        (await admin.PostAsync($"api/v1/clusters/local/{(cordoned ? "cordon" : "uncordon")}", null)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A job process may still be writing its log; the temp dir is cleaned up eventually.
        }
    }

    /// <summary>The token of the admin bootstrapped on first start, as the app itself knows it.</summary>
    public string? BootstrappedToken => Services.GetRequiredService<AdminBootstrap>().Token;
}
