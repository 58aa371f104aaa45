using Gantry.Core.Errors;
using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class QueueStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private IQueueStore Queues => Store.Queues;

    [ContractFact]
    public async Task Create_then_get_returns_every_field()
    {
        var queue = new QueueBuilder(Unique.Name("q"))
            .WithWeight(2.75)
            .WithPriority(-3)
            .WithQuota(new QueueQuota(CpuMillis: 64_000, MemoryBytes: 256L << 30, Gpu: 8, RunningJobs: 12))
            .WithClusterSelector(("topology.kubernetes.io/region", "eu-west"), ("gpu", "a100"))
            .WithAffinity(("zone", "eu-west-1a"))
            .WithPolicy(PlacementPolicy.BestFit)
            .UpdatedAt(TestClock.At(60.5))
            .Build();

        await Queues.CreateAsync(queue, Ct);

        StoreAssert.SameQueue(queue, await Queues.GetAsync(queue.Name, Ct));
    }

    [ContractFact]
    public async Task Access_lists_are_stored_sorted_and_replaced_by_an_update()
    {
        var queue = new QueueBuilder(Unique.Name("q"))
            .AllowingUsers("zoe@example.com", "alice")
            .AllowingGroups("ml-team", "data:readers")
            .Build();
        await Queues.CreateAsync(queue, Ct);

        var stored = await Queues.GetAsync(queue.Name, Ct);

        Assert.Equal(["alice", "zoe@example.com"], stored!.AllowedUsers);
        Assert.Equal(["data:readers", "ml-team"], stored.AllowedGroups);
        StoreAssert.SameQueue(queue, stored);

        await Queues.UpdateAsync(stored with { AllowedUsers = [], AllowedGroups = ["ops"] }, Ct);
        var updated = await Queues.GetAsync(queue.Name, Ct);

        Assert.Empty(updated!.AllowedUsers);
        Assert.Equal(["ops"], updated.AllowedGroups);
    }

    [ContractFact]
    public async Task A_queue_without_access_lists_reads_back_empty_lists()
    {
        var queue = new QueueBuilder(Unique.Name("q")).Build();
        await Queues.CreateAsync(queue, Ct);

        var stored = await Queues.GetAsync(queue.Name, Ct);

        Assert.Empty(stored!.AllowedUsers);
        Assert.Empty(stored.AllowedGroups);
    }

    [ContractFact]
    public async Task An_unlimited_quota_stays_unlimited()
    {
        var queue = new QueueBuilder(Unique.Name("q")).WithQuota(new QueueQuota(Gpu: 2)).Build();

        await Queues.CreateAsync(queue, Ct);
        var stored = await Queues.GetAsync(queue.Name, Ct);

        Assert.Equal(new QueueQuota(null, null, 2, null), stored!.Quota);
        StoreAssert.SameQueue(queue, stored);
    }

    [ContractFact]
    public async Task Creating_a_taken_name_is_a_conflict_and_keeps_the_first()
    {
        var name = Unique.Name("q");
        var first = new QueueBuilder(name).WithWeight(1).Build();
        await Queues.CreateAsync(first, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => Queues.CreateAsync(new QueueBuilder(name).WithWeight(5).Build(), Ct));

        StoreAssert.SameQueue(first, await Queues.GetAsync(name, Ct));
    }

    [ContractFact]
    public async Task Get_of_an_unknown_queue_returns_null()
    {
        Assert.Null(await Queues.GetAsync(Unique.Name("nope"), Ct));
    }

    [ContractFact]
    public async Task List_returns_the_queues_by_name()
    {
        var prefix = Unique.Name("list");
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await Queues.CreateAsync(new QueueBuilder($"{prefix}-{suffix}").Build(), Ct);
        }

        var all = await Queues.ListAsync(Ct);

        Assert.Equal(all.Select(q => q.Name).Order(StringComparer.Ordinal), all.Select(q => q.Name));
        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], all.Select(q => q.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [ContractFact]
    public async Task Update_replaces_the_settings()
    {
        var original = new QueueBuilder(Unique.Name("q")).WithClusterSelector(("zone", "a")).Build();
        await Queues.CreateAsync(original, Ct);
        var changed = new QueueBuilder(original.Name)
            .WithWeight(4)
            .WithPriority(10)
            .WithQuota(new QueueQuota(RunningJobs: 1))
            .WithClusterSelector(("app.kubernetes.io/managed-by", "gantry"))
            .WithPolicy(PlacementPolicy.LabelAffinity)
            .UpdatedAt(TestClock.At(3600))
            .Build();

        await Queues.UpdateAsync(changed, Ct);

        StoreAssert.SameQueue(changed, await Queues.GetAsync(original.Name, Ct));
    }

    [ContractFact]
    public async Task Update_of_an_unknown_queue_is_not_found()
    {
        var name = Unique.Name("nope");

        await Assert.ThrowsAsync<NotFoundException>(() => Queues.UpdateAsync(new QueueBuilder(name).Build(), Ct));

        Assert.Null(await Queues.GetAsync(name, Ct));
    }

    [ContractFact]
    public async Task Delete_removes_the_queue()
    {
        var name = Unique.Name("q");
        await Queues.CreateAsync(new QueueBuilder(name).Build(), Ct);

        await Queues.DeleteAsync(name, Ct);

        Assert.Null(await Queues.GetAsync(name, Ct));
        Assert.DoesNotContain(await Queues.ListAsync(Ct), q => q.Name == name);
    }

    [ContractFact]
    public async Task Delete_of_an_unknown_queue_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Queues.DeleteAsync(Unique.Name("nope"), Ct));
    }

    [ContractFact]
    public async Task Delete_is_refused_while_the_queue_holds_unfinished_jobs()
    {
        var name = Unique.Name("q");
        await Queues.CreateAsync(new QueueBuilder(name).Build(), Ct);
        var queued = await InsertAsync(new JobBuilder().InQueue(name));
        var running = await InsertInStateAsync(new JobBuilder().InQueue(name), JobState.Running);
        await InsertInStateAsync(new JobBuilder().InQueue(name), JobState.Failed);

        await Assert.ThrowsAsync<ConflictException>(() => Queues.DeleteAsync(name, Ct));
        Assert.NotNull(await Queues.GetAsync(name, Ct));

        await MoveAsync(queued, JobState.Cancelled);
        await Assert.ThrowsAsync<ConflictException>(() => Queues.DeleteAsync(name, Ct));
        Assert.NotNull(await Queues.GetAsync(name, Ct));

        await MoveAsync(running, JobState.Succeeded);
        await Queues.DeleteAsync(name, Ct);
        Assert.Null(await Queues.GetAsync(name, Ct));
    }

    [ContractFact]
    public async Task Ensure_creates_a_missing_queue()
    {
        var queue = new QueueBuilder(Unique.Name("q")).WithWeight(3).Build();

        await Queues.EnsureAsync(queue, Ct);

        StoreAssert.SameQueue(queue, await Queues.GetAsync(queue.Name, Ct));
    }

    [ContractFact]
    public async Task Ensure_does_not_overwrite_an_existing_queue()
    {
        var name = Unique.Name("q");
        var existing = new QueueBuilder(name).WithWeight(3).WithPolicy(PlacementPolicy.BestFit).Build();
        await Queues.CreateAsync(existing, Ct);

        await Queues.EnsureAsync(new QueueBuilder(name).WithWeight(1).Build(), Ct);

        StoreAssert.SameQueue(existing, await Queues.GetAsync(name, Ct));
    }
}
