using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Gantry.Backends;
using Gantry.Testing;
using Xunit.Abstractions;

namespace Gantry.Cli.Tests.Replication;

/// <summary>
/// Three replicas, three clusters of a standalone sandbox, 500 jobs of three kinds, and the leader
/// killed four times (three at injected crash points inside a dispatch, once with kill -9 from
/// outside): nothing is lost, nothing runs twice.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Jobs = 500;
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-chaos-").FullName;

    /// <summary>Short lease times, so four failovers fit in a test; the defaults are 15 s / 2 s / 10 s.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Gantry__Leader__LeaseMilliseconds"] = "4000",
        ["Gantry__Leader__RenewMilliseconds"] = "300",
        ["Gantry__Leader__GiveUpMilliseconds"] = "2500",
        ["Gantry__Scheduler__IntervalMilliseconds"] = "200",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [PostgresFact]
    public async Task Five_hundred_jobs_through_four_leader_kills_each_end_as_their_manifest_says_with_one_resource_ever_created_and_one_attempt()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var kubeconfig = Path.Combine(_dir, "sandbox.kubeconfig");
        await using var sandbox = GantryProcess.Start("sandbox", "--clusters", "3", "--kubeconfig", kubeconfig, "--crds", SharedFiles.Crds);
        await sandbox.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(120));
        await using var fleet = await ReplicaFleet.StartAsync(database.ConnectionString, 3, Settings);
        await ImportAsync(fleet, kubeconfig);

        var answered = new ConcurrentDictionary<string, string>();
        var submissions = SubmitAllAsync(fleet, answered);
        var kills = new List<Kill>();
        foreach (var point in new[] { CrashPoints.AfterIntent, CrashPoints.AfterCreate, CrashPoints.BeforeSubmitted, null })
        {
            kills.Add(await KillLeaderAsync(fleet, point));
        }
        await submissions;

        // Every submission was answered (retried elsewhere with its key if cut), and stored once.
        using var client = fleet.Client(await fleet.WaitForLeaderAsync(TimeSpan.FromSeconds(60)));
        var stored = await AllJobsAsync(client);
        Assert.Equal(Jobs, answered.Count);
        Assert.Equal(answered.Keys.Order(), stored.Keys.Order());
        await Polling.UntilAsync(async () => (await AllJobsAsync(client)).Values.All(j => IsEnded(j)), "every job ended", TimeSpan.FromMinutes(6));
        stored = await AllJobsAsync(client);
        var creations = (await SandboxCreations.ReadAsync(kubeconfig)).GroupBy(c => c.JobId).ToDictionary(g => g.Key, g => g.ToList());
        var wrong = new List<string>();
        foreach (var (id, job) in stored)
        {
            var expected = job["labels"]!["chaos"]!.GetValue<string>() == "fail" ? "Failed" : "Succeeded";
            var made = creations.GetValueOrDefault(id) ?? [];
            if (job.State() != expected || job["attempts"]!.GetValue<int>() != 1 || made.Sum(c => c.Count) != 1
                || made.Single().Cluster != job["cluster"]?.GetValue<string>())
            {
                wrong.Add($"{id}: {job.State()} (expected {expected}), attempts {job["attempts"]}, created {string.Join(", ", made.Select(c => $"{c.Count} on {c.Cluster}"))}, placed on {job["cluster"]}: {job["message"]}");
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {stored.Count} jobs went wrong:\n{string.Join('\n', wrong.Take(20))}");
        Assert.Empty(creations.Keys.Except(stored.Keys));

        await ReportFailoversAsync(client, stored.Keys, kills);
    }

    private sealed record Kill(string How, DateTimeOffset At, DateTimeOffset NewLeaderAt);

    /// <summary>Kills the leader (at the armed crash point, or with kill -9 when <paramref name="point"/> is null), starts it again and waits for a new leader.</summary>
    private async Task<Kill> KillLeaderAsync(ReplicaFleet fleet, string? point)
    {
        var leader = await fleet.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        int killed;
        if (point is null)
        {
            killed = leader;
            await fleet.Process(leader).KillAsync();
        }
        else
        {
            // Whoever leads when a dispatch reaches the point dies there (leadership may have moved meanwhile).
            await fleet.ArmAsync(point);
            var dead = -1;
            await Polling.UntilAsync(() => (dead = Enumerable.Range(0, fleet.Count).FirstOrDefault(i => !fleet.IsRunning(i), -1)) >= 0,
                $"a leader dying at {point}", TimeSpan.FromMinutes(3));
            await fleet.ArmAsync(null);
            killed = dead;
            await fleet.Process(killed).WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains($"crash point {point} reached", fleet.Process(killed).Output, StringComparison.Ordinal);
        }
        var at = fleet.Process(killed).ExitTime;
        var next = await fleet.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        var newLeaderAt = DateTimeOffset.UtcNow;
        Assert.NotEqual(killed, next);
        await fleet.StartAsync(killed);
        return new Kill(point ?? "kill -9", at, newLeaderAt);
    }

    /// <summary>
    /// Submits the jobs round-robin across the replicas, four at a time, paced so kills land among
    /// them. A request cut by a kill (or refused by a replica starting again) is sent to the next
    /// replica with the same Idempotency-Key, as a client behind a load balancer would.
    /// </summary>
    private static async Task SubmitAllAsync(ReplicaFleet fleet, ConcurrentDictionary<string, string> answered)
    {
        var next = -1;
        var workers = Enumerable.Range(0, 4).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Jobs)
            {
                var body = Envelope(i).ToJsonString();
                for (var attempt = 0; ; attempt++)
                {
                    var replica = (i + attempt) % fleet.Count;
                    try
                    {
                        using var client = fleet.Client(replica);
                        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                        request.Headers.Add("Idempotency-Key", $"chaos-{i}");
                        using var response = await client.SendAsync(request);
                        var text = await response.Content.ReadAsStringAsync();
                        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"job {i}: {(int)response.StatusCode} {text}");
                        var job = JsonNode.Parse(text)!;
                        answered[job["id"]!.GetValue<string>()] = job["labels"]!["chaos"]!.GetValue<string>();
                        break;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && attempt < 30)
                    {
                        // That replica died under the request or is starting again: the next one.
                        await Task.Delay(100);
                    }
                }
                await Task.Delay(50);
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>Job <paramref name="i"/>: SparkApplication, PyTorchJob or JAXJob in turn, running 3-8 s, every tenth told to fail.</summary>
    private static JsonObject Envelope(int i)
    {
        var fail = i % 10 == 7;
        var annotations = new JsonObject { ["sandbox.gantry.io/duration"] = $"{3 + (i * 7 % 6)}s" };
        if (fail)
        {
            annotations["sandbox.gantry.io/fail"] = "told to fail";
        }
        var metadata = new JsonObject { ["name"] = $"chaos-{i}", ["annotations"] = annotations };
        JsonObject manifest = (i % 3) switch
        {
            0 => Spark(metadata),
            1 => Training("PyTorchJob", "pytorchReplicaSpecs", "Master", "pytorch", metadata),
            _ => Training("JAXJob", "jaxReplicaSpecs", "Worker", "jax", metadata),
        };
        return new JsonObject
        {
            ["manifest"] = manifest,
            ["queue"] = "default",
            ["labels"] = new JsonObject { ["chaos"] = fail ? "fail" : "ok" },
        };
    }

    private static JsonObject Spark(JsonObject metadata)
    {
        var manifest = TestJobs.SparkApplication("unused");
        manifest["metadata"] = metadata;
        return manifest;
    }

    private static JsonObject Training(string kind, string specs, string role, string container, JsonObject metadata) => new()
    {
        ["apiVersion"] = "kubeflow.org/v1",
        ["kind"] = kind,
        ["metadata"] = metadata,
        ["spec"] = new JsonObject
        {
            [specs] = new JsonObject
            {
                [role] = new JsonObject
                {
                    ["replicas"] = 1,
                    ["restartPolicy"] = "Never",
                    ["template"] = new JsonObject
                    {
                        ["spec"] = new JsonObject
                        {
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = container,
                                ["image"] = $"{container}-train",
                                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "256Mi" } },
                            }),
                        },
                    },
                },
            },
        },
    };

    private static async Task ImportAsync(ReplicaFleet fleet, string kubeconfig)
    {
        using var client = fleet.Client(0);
        // The clusters of the sandbox only: the gateway's own machine takes none of these jobs.
        (await client.PostAsync("api/v1/clusters/local/cordon", null)).EnsureSuccessStatusCode();
        var env = new Dictionary<string, string> { ["GANTRY_URL"] = client.BaseAddress!.ToString().TrimEnd('/'), ["GANTRY_TOKEN"] = fleet.AdminToken };
        await using var import = GantryProcess.Start(env, "clusters", "import", kubeconfig);
        var code = await import.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(code == 0, import.Output);
    }

    private static bool IsEnded(JsonObject job) => job.State() is "Succeeded" or "Failed" or "Cancelled";

    private static async Task<Dictionary<string, JsonObject>> AllJobsAsync(HttpClient client)
    {
        var all = new Dictionary<string, JsonObject>();
        string? cursor = null;
        do
        {
            var page = JsonNode.Parse(await client.GetStringAsync("api/v1/jobs?limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))!;
            foreach (var job in page["items"]!.AsArray())
            {
                all[job!["id"]!.GetValue<string>()] = job.AsObject();
            }
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Prints, for each kill, the time to a new leader and to the first dispatch after it (the first Dispatching event stored later).</summary>
    private async Task ReportFailoversAsync(HttpClient client, IEnumerable<string> ids, IReadOnlyList<Kill> kills)
    {
        var dispatches = new List<DateTimeOffset>();
        foreach (var id in ids)
        {
            var events = JsonNode.Parse(await client.GetStringAsync($"api/v1/jobs/{id}/events"))!["items"]!.AsArray();
            dispatches.AddRange(events.Where(e => e!["to"]!.GetValue<string>() == "Dispatching").Select(e => e!["at"]!.GetValue<DateTimeOffset>()));
        }
        foreach (var kill in kills)
        {
            var first = dispatches.Where(d => d > kill.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var toDispatch = first == DateTimeOffset.MaxValue ? "none (queue empty)" : Seconds(first - kill.At);
            output.WriteLine($"chaos: {kill.How,-16} new leader seen after {Seconds(kill.NewLeaderAt - kill.At)}, first dispatch after {toDispatch}");
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
