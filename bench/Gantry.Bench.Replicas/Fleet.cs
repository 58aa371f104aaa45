using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Bench.Replicas;

/// <summary>A standalone sandbox (one cluster) and N replicas on one PostgreSQL database, set up as an operator would.</summary>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-bench-replicas-").FullName;
    private Process? _sandbox;

    private Fleet(string gantryDll, string connectionString, int count)
    {
        GantryDll = gantryDll;
        Replicas = [.. Enumerable.Range(0, count).Select(i => new Replica(gantryDll, Path.Combine(_dir, $"replica-{i}"), FreePort(), connectionString))];
    }

    public string GantryDll { get; }

    public IReadOnlyList<Replica> Replicas { get; }

    public string Token { get; private set; } = "";

    public static async Task<Fleet> StartAsync(string gantryDll, string connectionString, int count, string crds, CancellationToken cancellationToken)
    {
        var fleet = new Fleet(gantryDll, connectionString, count);
        var kubeconfig = Path.Combine(fleet._dir, "sandbox.kubeconfig");
        fleet._sandbox = Start(gantryDll, [], "sandbox", "--clusters", "1", "--kubeconfig", kubeconfig, "--crds", crds);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(kubeconfig) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }
        await fleet.Replicas[0].StartAsync(cancellationToken);
        fleet.Token = (await File.ReadAllTextAsync(Path.Combine(fleet.Replicas[0].DataDir, "admin.token"), cancellationToken)).Trim();
        foreach (var replica in fleet.Replicas.Skip(1))
        {
            Directory.CreateDirectory(replica.DataDir);
            File.Copy(Path.Combine(fleet.Replicas[0].DataDir, "admin.token"), Path.Combine(replica.DataDir, "admin.token"));
            // One key ring key for all, as a deployment's GANTRY_KEYRING_KEY Secret.
            File.Copy(Path.Combine(fleet.Replicas[0].DataDir, "keyring.pfx"), Path.Combine(replica.DataDir, "keyring.pfx"));
            await replica.StartAsync(cancellationToken);
        }
        using var import = Start(gantryDll, new() { ["GANTRY_URL"] = fleet.Replicas[0].Url, ["GANTRY_TOKEN"] = fleet.Token }, "clusters", "import", kubeconfig);
        await import.WaitForExitAsync(cancellationToken);
        if (import.ExitCode != 0)
        {
            throw new InvalidOperationException("gantry clusters import failed");
        }
        using var client = fleet.Replicas[0].Client(fleet.Token);
        (await client.PostAsync("api/v1/clusters/local/cordon", null, cancellationToken)).EnsureSuccessStatusCode();
        return fleet;
    }

    /// <summary>The replica holding the lease, by the pid in its replica id; null while none leads.</summary>
    public async Task<Replica?> LeaderAsync(CancellationToken cancellationToken)
    {
        foreach (var asked in Replicas.Where(r => r.Running))
        {
            try
            {
                using var client = asked.Client(Token);
                var list = JsonNode.Parse(await client.GetStringAsync("api/v1/replicas", cancellationToken))!;
                var id = list["items"]!.AsArray().FirstOrDefault(r => r!["leader"]!.GetValue<bool>())?["id"]?.GetValue<string>();
                return id is null ? null : Replicas.FirstOrDefault(r => r.Running && id.Contains($"-{r.Pid.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Going away; ask another.
            }
        }
        return null;
    }

    public async Task<Replica> WaitForLeaderAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (await LeaderAsync(cancellationToken) is { } leader)
            {
                return leader;
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException("no replica led within 2 minutes");
    }

    /// <summary>Submits a one-second SparkApplication through <paramref name="via"/>; returns its id.</summary>
    public async Task<string> SubmitAsync(Replica via, string name, CancellationToken cancellationToken)
    {
        using var client = via.Client(Token);
        using var response = await client.PostAsync("api/v1/jobs", new StringContent(Envelope(name), Encoding.UTF8, "application/json"), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"submission answered {(int)response.StatusCode}");
        }
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<string>();
    }

    /// <summary>When the job's Dispatching transition was stored (the gateway's clock, this machine's), polled every 20 ms.</summary>
    public async Task<DateTimeOffset> DispatchedAtAsync(Replica via, string id, CancellationToken cancellationToken)
    {
        using var client = via.Client(Token);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var events = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{id}/events", cancellationToken))!["items"]!.AsArray();
            if (events.FirstOrDefault(e => e!["to"]!.GetValue<string>() == "Dispatching") is { } dispatched)
            {
                return dispatched["at"]!.GetValue<DateTimeOffset>();
            }
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"job {id} was not dispatched within 2 minutes");
    }

    internal static string Envelope(string name) => new JsonObject
    {
        ["queue"] = "default",
        ["manifest"] = new JsonObject
        {
            ["apiVersion"] = "sparkoperator.k8s.io/v1beta2",
            ["kind"] = "SparkApplication",
            ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = new JsonObject { ["sandbox.gantry.io/duration"] = "1s" } },
            ["spec"] = new JsonObject
            {
                ["type"] = "Scala", ["mode"] = "cluster", ["image"] = "spark:3.5.3", ["sparkVersion"] = "3.5.3",
                ["mainClass"] = "org.apache.spark.examples.SparkPi",
                ["mainApplicationFile"] = "local:///opt/spark/examples/jars/spark-examples.jar",
                ["driver"] = new JsonObject { ["cores"] = 1, ["memory"] = "512m" },
                ["executor"] = new JsonObject { ["instances"] = 1, ["cores"] = 1, ["memory"] = "512m" },
            },
        },
    }.ToJsonString();

    private static Process Start(string gantryDll, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(gantryDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }
        if (_sandbox is { HasExited: false })
        {
            _sandbox.Kill();
            await _sandbox.WaitForExitAsync();
        }
        _sandbox?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
