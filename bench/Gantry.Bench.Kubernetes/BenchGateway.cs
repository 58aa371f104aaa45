using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Gantry.Sandbox;
using Gantry.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Gantry.Bench.Kubernetes;

/// <summary>A real gateway in this process (SQLite in a temp dir) with sandbox clusters registered through POST /clusters, local cordoned.</summary>
internal sealed class BenchGateway : IAsyncDisposable
{
    private BenchGateway(WebApplication app, string dataDir, string url, IReadOnlyList<SandboxCluster> clusters, HttpClient client)
    {
        App = app;
        DataDir = dataDir;
        Url = url;
        Clusters = clusters;
        Client = client;
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public string Url { get; }
    public IReadOnlyList<SandboxCluster> Clusters { get; }
    public HttpClient Client { get; }

    public static async Task<BenchGateway> StartAsync(int clusters, string crdDirectory, int schedulerIntervalMs)
    {
        var sandboxes = new List<SandboxCluster>();
        for (var i = 1; i <= clusters; i++)
        {
            sandboxes.Add(await SandboxCluster.StartAsync(new SandboxClusterOptions
            {
                Name = $"bench-{i}",
                CrdDirectory = crdDirectory,
                Nodes = [new SandboxNode("node-1", "512", "2Ti"), new SandboxNode("node-2", "512", "2Ti")],
                DefaultRunDuration = TimeSpan.FromSeconds(1),
                WatchHistorySize = 100_000,
            }, CancellationToken.None));
        }
        var dataDir = Path.Combine(Path.GetTempPath(), "gantry-bench-k8s-" + Guid.NewGuid().ToString("N")[..8]);
        var url = $"http://127.0.0.1:{FreePort()}";
        var app = await GantryApp.BuildAsync([], new Dictionary<string, string?>
        {
            ["urls"] = url,
            ["Gantry:DataDir"] = dataDir,
            ["Gantry:PublicUrl"] = url,
            ["Gantry:Scheduler:IntervalMilliseconds"] = schedulerIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gantry:Kubernetes:RefreshMilliseconds"] = "500",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await app.StartAsync();
        var token = (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"))).Trim();
        var client = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.PostAsync("api/v1/clusters/local/cordon", null)).EnsureSuccessStatusCode();
        foreach (var sandbox in sandboxes)
        {
            var response = await client.PostAsJsonAsync("api/v1/clusters", new
            {
                name = sandbox.Name,
                server = sandbox.Server.ToString(),
                token = sandbox.AdminToken,
                certificateAuthorityData = sandbox.CertificateAuthorityData,
            });
            response.EnsureSuccessStatusCode();
        }
        var gateway = new BenchGateway(app, dataDir, url, sandboxes, client);
        await gateway.WaitUntilObservedAsync();
        return gateway;
    }

    private async Task WaitUntilObservedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var list = await Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("api/v1/clusters");
            var ready = list!["items"]!.AsArray().Count(c => c!["type"]!.GetValue<string>() == "kubernetes" && c["healthy"]!.GetValue<bool>() && c["kinds"]!.AsArray().Count > 0);
            if (ready == Clusters.Count)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The gateway did not observe every sandbox cluster within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var cluster in Clusters)
        {
            await cluster.DisposeAsync();
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
