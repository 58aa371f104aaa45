using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Replication;

/// <summary>
/// Gateway replicas as real <c>gantry serve</c> processes on one PostgreSQL database, each with a
/// data dir and port of its own, sharing a crash-point file (<c>Gantry:Testing:CrashFile</c>) so a
/// test can arm the leader's crash at a chosen step of dispatch. A replica killed is started again
/// on the same port and data dir, as a process supervisor would.
/// </summary>
public sealed class ReplicaFleet : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-fleet-").FullName;
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly GantryProcess?[] _processes;
    private readonly int[] _ports;

    private ReplicaFleet(string connectionString, int count, IReadOnlyDictionary<string, string> settings)
    {
        _connectionString = connectionString;
        _processes = new GantryProcess?[count];
        _ports = [.. Enumerable.Range(0, count).Select(_ => FreePorts.Next())];
        CrashFile = Path.Combine(_dir, "crash");
        _settings = new Dictionary<string, string>(settings) { ["Gantry__Testing__CrashFile"] = CrashFile };
    }

    public string CrashFile { get; }

    public string AdminToken { get; private set; } = "";

    public int Count => _processes.Length;

    /// <summary>Starts <paramref name="count"/> replicas (the first alone, so it creates the admin the others share) and waits until all are ready.</summary>
    public static async Task<ReplicaFleet> StartAsync(string connectionString, int count, IReadOnlyDictionary<string, string> settings)
    {
        var fleet = new ReplicaFleet(connectionString, count, settings);
        await fleet.StartAsync(0);
        fleet.AdminToken = (await File.ReadAllTextAsync(Path.Combine(fleet.DataDir(0), "admin.token"))).Trim();
        for (var i = 1; i < count; i++)
        {
            Directory.CreateDirectory(fleet.DataDir(i));
            File.Copy(Path.Combine(fleet.DataDir(0), "admin.token"), Path.Combine(fleet.DataDir(i), "admin.token"));
            // Replicas share the key ring key, as a deployment gives them all one GANTRY_KEYRING_KEY.
            File.Copy(Path.Combine(fleet.DataDir(0), "keyring.pfx"), Path.Combine(fleet.DataDir(i), "keyring.pfx"));
            await fleet.StartAsync(i);
        }
        return fleet;
    }

    public GantryProcess Process(int replica) => _processes[replica] ?? throw new InvalidOperationException($"replica {replica} is not running");

    public bool IsRunning(int replica) => _processes[replica] is { HasExited: false };

    public HttpClient Client(int replica)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url(replica) + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>Arms the crash point (<c>after-create 1</c>: at its next reach), or disarms with null.</summary>
    public Task ArmAsync(string? point, int after = 1) =>
        File.WriteAllTextAsync(CrashFile, point is null ? "" : $"{point} {after.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>(Re)starts replica <paramref name="replica"/> on its port and data dir; returns when /readyz answers.</summary>
    public async Task StartAsync(int replica)
    {
        if (_processes[replica] is { } old)
        {
            await old.DisposeAsync();
        }
        var process = GantryProcess.Start(_settings,
            "serve", "--data-dir", DataDir(replica), "--urls", Url(replica), "--ui-urls", "none",
            "--store", "postgres", "--connection-string", _connectionString);
        _processes[replica] = process;
        using var probe = new HttpClient { BaseAddress = new Uri(Url(replica) + "/"), Timeout = TimeSpan.FromSeconds(5) };
        await Polling.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, $"replica {replica} exited while starting: {process.Output}");
            try
            {
                return (await probe.GetAsync("readyz")).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, $"replica {replica} ready", TimeSpan.FromSeconds(120));
    }

    /// <summary>The replica that holds the lease, as a live replica's <c>GET /replicas</c> names it (its id carries the pid), or null.</summary>
    public async Task<int?> LeaderAsync()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!IsRunning(i))
            {
                continue;
            }
            try
            {
                using var client = Client(i);
                var list = JsonNode.Parse(await client.GetStringAsync("api/v1/replicas"))!;
                var leader = list["items"]!.AsArray().FirstOrDefault(r => r!["leader"]!.GetValue<bool>());
                if (leader is null)
                {
                    return null;
                }
                var id = leader["id"]!.GetValue<string>();
                for (var j = 0; j < Count; j++)
                {
                    if (IsRunning(j) && id.Contains($"-{Process(j).Id.ToString(CultureInfo.InvariantCulture)}-", StringComparison.Ordinal))
                    {
                        return j;
                    }
                }
                return null;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // That replica is going; ask the next.
            }
        }
        return null;
    }

    /// <summary>Waits until a live replica leads and returns it.</summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan timeout)
    {
        int? leader = null;
        await Polling.UntilAsync(async () => (leader = await LeaderAsync()) is not null, "a live replica leading", timeout);
        return leader!.Value;
    }

    private string DataDir(int replica) => Path.Combine(_dir, $"replica-{replica}");

    private string Url(int replica) => $"http://127.0.0.1:{_ports[replica].ToString(CultureInfo.InvariantCulture)}";

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
