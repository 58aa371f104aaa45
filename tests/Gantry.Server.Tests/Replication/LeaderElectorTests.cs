using Gantry.Server.Monitoring;
using Gantry.Server.Options;
using Gantry.Server.Replication;
using Gantry.Storage;
using Gantry.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Gantry.Server.Tests.Replication;

/// <summary>
/// Two replicas' electors on one real PostgreSQL database, with time driven by hand (the lease is
/// judged by that clock: Gantry:Leader:Clock = local): who leads, when a silent leader stops
/// acting, when the other takes over, and that the deposed one's writes change nothing.
/// </summary>
public sealed class LeaderElectorTests : IAsyncLifetime
{
    private static readonly GantryOptions Options = new()
    {
        Storage = new StorageOptions { Provider = "postgres" },
        Leader = new LeaderOptions { LeaseMilliseconds = 15_000, RenewMilliseconds = 2_000, GiveUpMilliseconds = 10_000, Clock = "local" },
    };

    private sealed record Replica(LeaderElector Elector, Leadership Leadership);

    private static Replica NewReplica(IGantryStore store, FakeTimeProvider time, string name)
    {
        var leadership = new Leadership(new ReplicaIdentity(name, "host-" + name, "test", time.GetUtcNow()));
        var metrics = new LeaderMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()), leadership);
        var elector = new LeaderElector(store, leadership, metrics, Microsoft.Extensions.Options.Options.Create(Options), time, NullLogger<LeaderElector>.Instance);
        return new Replica(elector, leadership);
    }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private PostgresDatabase? _database;
    private IGantryStore? _store;
    private Replica? _a;
    private Replica? _b;

    private IGantryStore Store => _store!;
    private Replica A => _a!;
    private Replica B => _b!;

    /// <summary>Replicas a and b on a fresh database of their own.</summary>
    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _store = await StoreFactory.OpenPostgresAsync(_database.ConnectionString, CancellationToken.None);
        _a = NewReplica(_store, _time, "a");
        _b = NewReplica(_store, _time, "b");
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task A_silent_leader_stops_acting_before_its_lease_expires_and_the_other_takes_over_in_a_new_epoch()
    {
        await A.Elector.TryOnceAsync(CancellationToken.None);
        await B.Elector.TryOnceAsync(CancellationToken.None);
        var first = Assert.IsType<LeaderTerm>(A.Leadership.Current);
        Assert.False(B.Leadership.IsLeader);

        _time.Advance(TimeSpan.FromSeconds(2));
        await A.Elector.TryOnceAsync(CancellationToken.None);
        Assert.Same(first, A.Leadership.Current);

        // a stops renewing (a pause, a cut link): it acts until 10 s after its last renewal was sent, at t = 12 s.
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(A.Leadership.IsLeader);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(A.Leadership.IsLeader);
        Assert.True(first.Lost.IsCancellationRequested);

        // Its lease still runs until t = 17 s: nobody acts in between, then b takes over.
        _time.Advance(TimeSpan.FromSeconds(4.8));
        await B.Elector.TryOnceAsync(CancellationToken.None);
        Assert.False(B.Leadership.IsLeader);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        await B.Elector.TryOnceAsync(CancellationToken.None);
        var second = Assert.IsType<LeaderTerm>(B.Leadership.Current);
        Assert.Equal(first.Epoch + 1, second.Epoch);

        // a comes back: it does not lead, and a write fenced by its old term is refused.
        await A.Elector.TryOnceAsync(CancellationToken.None);
        Assert.False(A.Leadership.IsLeader);
        var job = (await Store.Jobs.InsertAsync(new NewJob(new Core.Jobs.Job
        {
            Id = Core.Jobs.JobId.New(),
            Name = "fenced",
            Kind = "Command",
            Queue = "default",
            Owner = "ann",
            Manifest = """{"kind":"Command","spec":{"command":["true"]}}""",
            Demand = new Core.Resources.ResourceDemand([new Core.Resources.PodDemand("main", 1, new Core.Resources.Resources(100, 1L << 20, 0))]),
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
        }), CancellationToken.None)).Job;
        var (moved, transition) = job.TransitionTo(Core.Jobs.JobState.Failed, "from a deposed leader", _time.GetUtcNow());
        await Assert.ThrowsAsync<FencedOutException>(() => Store.Jobs.UpdateAsync(moved, transition, first.Fence, CancellationToken.None));
        Assert.Equal(Core.Jobs.JobState.Queued, (await Store.Jobs.GetAsync(job.Id, CancellationToken.None))!.State);
        Assert.Equal(Core.Jobs.JobState.Failed, (await Store.Jobs.UpdateAsync(moved, transition, second.Fence, CancellationToken.None)).State);
    }

    [PostgresFact]
    public async Task A_leader_that_stops_hands_over_at_the_standbys_next_try()
    {
        await A.Elector.TryOnceAsync(CancellationToken.None);
        var first = Assert.IsType<LeaderTerm>(A.Leadership.Current);

        await A.Elector.StopAsync(CancellationToken.None);
        Assert.False(A.Leadership.IsLeader);

        // Released, not expired: b leads at once, 1 s later, not 15 s later. (The release uses the
        // database's clock, which is ahead of this test's hand-driven one, so b's try is judged by
        // a time past the release.)
        _time.AdjustTime(DateTimeOffset.UtcNow.AddSeconds(1));
        await B.Elector.TryOnceAsync(CancellationToken.None);
        Assert.Equal(first.Epoch + 1, Assert.IsType<LeaderTerm>(B.Leadership.Current).Epoch);
        Assert.DoesNotContain(await Store.Replicas.ListAsync(CancellationToken.None), r => r.Id == "a");
    }
}
