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
        JobsDir = dataDir + "-jobs";
        FilesDir = dataDir + "-files";
        Url = $"http://127.0.0.1:{port}";
        UiUrl = $"http://127.0.0.1:{uiPort}";
        _settings = new Dictionary<string, string?>
        {
            ["urls"] = Url,
            ["Gantry:SparkUi:Urls"] = UiUrl,
            ["Gantry:DataDir"] = dataDir,
            ["Gantry:PublicUrl"] = Url,
            ["Gantry:Scheduler:IntervalMilliseconds"] = "100",
            ["Gantry:Experiments:IntervalMilliseconds"] = "200",
            ["Gantry:Local:CancelGraceSeconds"] = "2",
            ["Gantry:Local:RestartBackoffMilliseconds"] = "50",
            // Beside the data dir, not in it: jobs running under their own uid must reach their dirs.
            ["Gantry:Local:JobsDirectory"] = JobsDir,
        };
        foreach (var (key, value) in extra)
        {
            _settings[key] = value;
        }
    }

    public string DataDir { get; }

    /// <summary>Where the local backend puts job directories (Gantry:Local:JobsDirectory).</summary>
    public string JobsDir { get; }

    /// <summary>
    /// A directory every job can read, for the scripts a test hands its jobs: the data dir is
    /// owner-only, and jobs run under their own uids when the tests run as root.
    /// </summary>
    public string FilesDir
    {
        get
        {
            if (!Directory.Exists(field))
            {
                Directory.CreateDirectory(field);
                File.SetUnixFileMode(field, (UnixFileMode)0b111_101_101);
            }
            return field;
        }
    }

    /// <summary>Writes <paramref name="content"/> to a file in <see cref="FilesDir"/> that every job can read, and answers its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(FilesDir, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }
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
        foreach (var dir in new[] { DataDir, JobsDir, FilesDir })
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A job process may still be writing its log; the temp dir is cleaned up eventually.
            }
        }
    }

    /// <summary>The token of the admin bootstrapped on first start, as the app itself knows it.</summary>
    public string? BootstrappedToken => Services.GetRequiredService<AdminBootstrap>().Token;
}
