using Gantry.Core.Metrics;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class MetricStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    [ContractFact]
    public async Task Appended_observations_come_back_by_name_then_step_then_time()
    {
        var job = Unique.Name("job");
        await Store.Metrics.AppendAsync(job,
        [
            new Observation("loss", 0.5, 2, TestClock.At(2)),
            new Observation("accuracy", 0.7, 1, TestClock.At(1)),
            new Observation("loss", 0.9, 1, TestClock.At(1)),
            new Observation("loss", 0.4, 2, TestClock.At(3)),
            new Observation("lr", 1e-3, null, TestClock.At(0.5)),
        ], Ct);

        var all = await Store.Metrics.ListAsync(job, null, Ct);

        Assert.Equal(
            [
                new Observation("accuracy", 0.7, 1, TestClock.At(1)),
                new Observation("loss", 0.9, 1, TestClock.At(1)),
                new Observation("loss", 0.5, 2, TestClock.At(2)),
                new Observation("loss", 0.4, 2, TestClock.At(3)),
                new Observation("lr", 1e-3, null, TestClock.At(0.5)),
            ],
            all);
    }

    [ContractFact]
    public async Task Listing_by_name_returns_only_that_metric_of_that_job()
    {
        var job = Unique.Name("job");
        var other = Unique.Name("job");
        await Store.Metrics.AppendAsync(job, [new Observation("loss", 1, 0, TestClock.Start), new Observation("acc", 0.1, 0, TestClock.Start)], Ct);
        await Store.Metrics.AppendAsync(other, [new Observation("loss", 2, 0, TestClock.Start)], Ct);

        var loss = await Store.Metrics.ListAsync(job, "loss", Ct);

        Assert.Equal([new Observation("loss", 1, 0, TestClock.Start)], loss);
        Assert.Empty(await Store.Metrics.ListAsync(Unique.Name("job"), null, Ct));
    }

    [ContractFact]
    public async Task Concurrent_pushes_of_many_observations_are_all_stored()
    {
        var job = Unique.Name("job");
        var pushes = Enumerable.Range(0, 20).Select(p =>
            Store.Metrics.AppendAsync(job, Enumerable.Range(0, 100).Select(i => new Observation("loss", i, p * 100 + i, TestClock.At(p))).ToList(), Ct));

        await Task.WhenAll(pushes);

        var stored = await Store.Metrics.ListAsync(job, "loss", Ct);
        Assert.Equal(2000, stored.Count);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long?)i), stored.Select(o => o.Step));
    }

    [ContractFact]
    public async Task A_job_token_hash_finds_its_job_and_a_new_one_replaces_it()
    {
        var job = Unique.Name("job");
        var first = Unique.Name("hash");
        var second = Unique.Name("hash");

        await Store.JobTokens.SetAsync(job, first, TestClock.Start, Ct);
        Assert.Equal(job, await Store.JobTokens.FindJobAsync(first, Ct));

        await Store.JobTokens.SetAsync(job, second, TestClock.At(5), Ct);
        Assert.Null(await Store.JobTokens.FindJobAsync(first, Ct));
        Assert.Equal(job, await Store.JobTokens.FindJobAsync(second, Ct));
        Assert.Null(await Store.JobTokens.FindJobAsync(Unique.Name("hash"), Ct));
    }
}
