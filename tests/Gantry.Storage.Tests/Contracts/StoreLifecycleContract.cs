using Gantry.Core.Jobs;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

/// <summary>Opening, migrating and reopening a store.</summary>
public abstract class StoreLifecycleContract(StoreFixture fixture) : StoreContract(fixture)
{
    [ContractFact]
    public async Task Ping_answers_true()
    {
        Assert.True(await Store.PingAsync(Ct));
    }

    [ContractFact]
    public async Task Migrating_again_changes_nothing()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")));

        await Store.MigrateAsync(Ct);
        await Store.MigrateAsync(Ct);

        StoreAssert.SameJob(job, await Jobs.GetAsync(job.Id, Ct));
        await InsertAsync(new JobBuilder().InQueue(job.Queue));
    }

    [ContractFact]
    public async Task A_second_store_on_the_same_database_sees_the_same_data()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")));

        await using var second = await Fixture.OpenAsync(Fixture.Location, Ct);

        StoreAssert.SameJob(job, await second.Jobs.GetAsync(job.Id, Ct));
        var other = (await second.Jobs.InsertAsync(new JobBuilder().InQueue(job.Queue).AsSubmission(), Ct)).Job;
        StoreAssert.SameJob(other, await Jobs.GetAsync(other.Id, Ct));
        Assert.True(other.Seq > job.Seq);
    }

    [ContractFact]
    public async Task A_job_survives_closing_and_reopening_the_store()
    {
        var location = await Fixture.CreateDatabaseAsync(Ct);
        var job = new JobBuilder().InQueue("default").WithLabels(("app.kubernetes.io/name", "etl")).Build();
        SubmitOutcome outcome;
        await using (var first = await Fixture.OpenAsync(location, Ct))
        {
            outcome = await first.Jobs.InsertAsync(new NewJob(job, "key-1", "hash"), Ct);
            var (next, transition) = outcome.Job.TransitionTo(JobState.Dispatching, "placing", TestClock.At(1));
            await first.Jobs.UpdateAsync(next, transition, Ct);
        }

        await using var reopened = await Fixture.OpenAsync(location, Ct);

        var stored = await reopened.Jobs.GetAsync(job.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(JobState.Dispatching, stored.State);
        Assert.Equal(1, stored.Version);
        Assert.Equal(2, (await reopened.Jobs.EventsAsync(job.Id, 0, Ct)).Count);
        // The idempotency key survives too.
        var replay = await reopened.Jobs.InsertAsync(new NewJob(new JobBuilder().Build(), "key-1", "hash"), Ct);
        Assert.False(replay.Created);
        Assert.Equal(job.Id, replay.Job.Id);
    }

    [ContractFact]
    public async Task Stores_opened_at_once_on_a_fresh_database_all_migrate_it()
    {
        var location = await Fixture.CreateDatabaseAsync(Ct);

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Fixture.OpenAsync(location, Ct))));
        try
        {
            foreach (var store in stores)
            {
                Assert.True(await store.PingAsync(Ct));
            }
            var job = (await stores[0].Jobs.InsertAsync(new JobBuilder().AsSubmission(), Ct)).Job;
            StoreAssert.SameJob(job, await stores[3].Jobs.GetAsync(job.Id, Ct));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
