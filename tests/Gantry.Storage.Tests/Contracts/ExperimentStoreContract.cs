using Gantry.Core.Errors;
using Gantry.Core.Experiments;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;
using Gantry.Core.Tuning.Progress;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class ExperimentStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private static ExperimentRun NewRun(string owner = "alice") => new()
    {
        Id = Unique.Name("e"),
        Name = "tune",
        Owner = owner,
        OwnerGroups = ["ml"],
        Queue = "default",
        Priority = 3,
        Labels = new Dictionary<string, string> { ["team"] = "ml" },
        Manifest = "{\"kind\":\"Experiment\"}",
        CreatedAt = TestClock.Start,
        UpdatedAt = TestClock.Start,
    };

    private static TrialRun NewTrial(ExperimentRun run, int index) => new()
    {
        ExperimentId = run.Id,
        Index = index,
        Name = $"tune-{index}",
        Assignments = [new ParameterAssignment("lr", "0.01"), new ParameterAssignment("opt", "adam")],
        CreatedAt = TestClock.At(index),
    };

    [ContractFact]
    public async Task An_experiment_and_its_trials_come_back_as_written()
    {
        var run = (await Store.Experiments.InsertAsync(NewRun(), null, null, Ct)).Experiment;
        Assert.True(await Store.Experiments.AddTrialsAsync(run.Id, [NewTrial(run, 0), NewTrial(run, 1)], null, Ct));
        var finished = NewTrial(run, 1) with
        {
            JobId = "j1", State = TrialState.Succeeded, Objective = 0.25, FinishedAt = TestClock.At(9), Message = "done",
            Metrics = [new MetricSummary("loss", "0.25", "0.9", "0.25")], ObjectiveHead = [0.9, 0.5, 0.25],
        };
        await Store.Experiments.UpdateTrialAsync(finished, null, Ct);
        var summary = new ExperimentSummary(new TrialCounts(1, 0, 1, 0, 0, 0, 0), new BestTrial("tune-1", finished.Assignments, 0.25, finished.Metrics));
        var updated = await Store.Experiments.UpdateAsync(run with { State = ExperimentConditionType.Running, Reason = "ExperimentRunning", Summary = summary, StartedAt = TestClock.At(1) }, null, Ct);

        var read = await Store.Experiments.GetAsync(run.Id, Ct);
        var trials = await Store.Experiments.TrialsAsync(run.Id, Ct);

        Assert.NotNull(read);
        Assert.Equal(updated.Version, read.Version);
        Assert.Equal(ExperimentConditionType.Running, read.State);
        Assert.Equal(["ml"], read.OwnerGroups);
        Assert.Equal("ml", read.Labels["team"]);
        Assert.Equal(summary.Counts, read.Summary.Counts);
        Assert.Equal("tune-1", read.Summary.Best!.Name);
        Assert.Equal(finished.Metrics, read.Summary.Best.Metrics);
        Assert.Equal([0, 1], trials.Select(t => t.Index));
        Assert.Equal(TrialState.Created, trials[0].State);
        Assert.Equal(finished.Assignments, trials[1].Assignments);
        Assert.Equal(0.25, trials[1].Objective);
        Assert.Equal([0.9, 0.5, 0.25], trials[1].ObjectiveHead);
        Assert.Equal(finished.Metrics, trials[1].Metrics);
        Assert.Equal("j1", trials[1].JobId);
    }

    [ContractFact]
    public async Task A_stale_version_is_refused_and_a_finished_experiment_takes_no_new_trials()
    {
        var run = (await Store.Experiments.InsertAsync(NewRun(), null, null, Ct)).Experiment;
        var cancelled = await Store.Experiments.UpdateAsync(run with { State = ExperimentConditionType.Failed, Reason = "ExperimentCancelled", FinishedAt = TestClock.At(1) }, null, Ct);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.Experiments.UpdateAsync(run with { State = ExperimentConditionType.Running }, null, Ct));
        Assert.False(await Store.Experiments.AddTrialsAsync(run.Id, [NewTrial(run, 0)], null, Ct));
        Assert.Empty(await Store.Experiments.TrialsAsync(run.Id, Ct));
        Assert.Equal(ExperimentConditionType.Failed, (await Store.Experiments.GetAsync(run.Id, Ct))!.State);
        Assert.Equal(cancelled.Version, (await Store.Experiments.GetAsync(run.Id, Ct))!.Version);
    }

    [ContractFact]
    public async Task A_trial_index_is_stored_once()
    {
        var run = (await Store.Experiments.InsertAsync(NewRun(), null, null, Ct)).Experiment;
        Assert.True(await Store.Experiments.AddTrialsAsync(run.Id, [NewTrial(run, 0)], null, Ct));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.Experiments.AddTrialsAsync(run.Id, [NewTrial(run, 1), NewTrial(run, 0) with { Name = "other" }], null, Ct));

        // All or none: index 1 of the refused batch is not there either.
        Assert.Equal(["tune-0"], (await Store.Experiments.TrialsAsync(run.Id, Ct)).Select(t => t.Name));
    }

    [ContractFact]
    public async Task A_deposed_leaders_trial_writes_change_nothing()
    {
        var lease = Unique.Name("lease");
        Assert.Equal(1, await Store.Leases.TryAcquireAsync(new LeaseRequest(lease, "a", TimeSpan.FromSeconds(15), false), Ct));
        var run = (await Store.Experiments.InsertAsync(NewRun(), null, null, Ct)).Experiment;
        var stale = new LeaseFence(lease, "a", 0);

        await Assert.ThrowsAsync<FencedOutException>(() => Store.Experiments.AddTrialsAsync(run.Id, [NewTrial(run, 0)], stale, Ct));
        await Assert.ThrowsAsync<FencedOutException>(() => Store.Experiments.UpdateAsync(run with { State = ExperimentConditionType.Running }, stale, Ct));
        Assert.True(await Store.Experiments.AddTrialsAsync(run.Id, [NewTrial(run, 0)], new LeaseFence(lease, "a", 1), Ct));
        await Assert.ThrowsAsync<FencedOutException>(() => Store.Experiments.UpdateTrialAsync(NewTrial(run, 0) with { State = TrialState.Running }, stale, Ct));

        Assert.Equal(TrialState.Created, Assert.Single(await Store.Experiments.TrialsAsync(run.Id, Ct)).State);
        Assert.Equal(ExperimentConditionType.Created, (await Store.Experiments.GetAsync(run.Id, Ct))!.State);
    }

    [ContractFact]
    public async Task The_idempotency_key_returns_the_first_experiment_and_refuses_a_different_request()
    {
        var owner = Unique.Name("owner");
        var first = await Store.Experiments.InsertAsync(NewRun(owner), "key-1", "hash-a", Ct);
        var again = await Store.Experiments.InsertAsync(NewRun(owner), "key-1", "hash-a", Ct);
        var otherOwner = await Store.Experiments.InsertAsync(NewRun(Unique.Name("owner")), "key-1", "hash-b", Ct);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Experiment.Id, again.Experiment.Id);
        Assert.True(otherOwner.Created);
        await Assert.ThrowsAsync<ConflictException>(() => Store.Experiments.InsertAsync(NewRun(owner), "key-1", "hash-b", Ct));
    }

    [ContractFact]
    public async Task Lists_page_newest_first_by_owner_and_state_and_unsettled_holds_what_the_controller_must_visit()
    {
        var owner = Unique.Name("owner");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Store.Experiments.InsertAsync(NewRun(owner), null, null, Ct)).Experiment.Id);
        }
        var done = (await Store.Experiments.GetAsync(ids[0], Ct))!;
        done = await Store.Experiments.UpdateAsync(done with { State = ExperimentConditionType.Succeeded, FinishedAt = TestClock.At(5) }, null, Ct);
        var doneWithActive = (await Store.Experiments.GetAsync(ids[1], Ct))!;
        Assert.True(await Store.Experiments.AddTrialsAsync(doneWithActive.Id, [NewTrial(doneWithActive, 0)], null, Ct));
        await Store.Experiments.UpdateAsync(doneWithActive with { State = ExperimentConditionType.Failed, FinishedAt = TestClock.At(5) }, null, Ct);

        var page1 = await Store.Experiments.ListAsync(new ExperimentQuery(null, owner, 3, null), Ct);
        var page2 = await Store.Experiments.ListAsync(new ExperimentQuery(null, owner, 3, page1.NextBeforeSeq), Ct);
        var succeeded = await Store.Experiments.ListAsync(new ExperimentQuery(ExperimentConditionType.Succeeded, owner, 10, null), Ct);
        var unsettled = (await Store.Experiments.UnsettledAsync(Ct)).Select(e => e.Id).ToHashSet();

        Assert.Equal(ids.AsEnumerable().Reverse(), page1.Items.Concat(page2.Items).Select(e => e.Id));
        Assert.Null(page2.NextBeforeSeq);
        Assert.Equal([ids[0]], succeeded.Items.Select(e => e.Id));
        Assert.DoesNotContain(ids[0], unsettled);
        Assert.Contains(ids[1], unsettled);
        Assert.Contains(ids[4], unsettled);
        var counts = await Store.Experiments.CountAsync(Ct);
        Assert.True(counts.Experiments["Succeeded"] >= 1);
        Assert.True(counts.Trials["Created"] >= 1);
    }
}
