using Gantry.Core.Jobs;
using Gantry.Core.Labels;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

/// <summary>The job list with its filters and cursor, and the scheduler's views of the queues.</summary>
public abstract class JobQueryContract(StoreFixture fixture) : StoreContract(fixture)
{
    [ContractFact]
    public async Task List_is_newest_first()
    {
        var queue = Unique.Name("q");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await InsertAsync(new JobBuilder().InQueue(queue))).Id);
        }

        var page = await Jobs.ListAsync(new JobQuery { Queue = queue }, Ct);

        Assert.Equal(Enumerable.Reverse(ids), page.Items.Select(j => j.Id));
        Assert.Null(page.NextBeforeSeq);
    }

    [ContractFact]
    public async Task List_filters_by_state()
    {
        var queue = Unique.Name("q");
        var queued = await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Queued);
        var running = await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Running);
        var failed = await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Failed);
        await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Cancelled);

        var onlyRunning = await Jobs.ListAsync(new JobQuery { Queue = queue, States = [JobState.Running] }, Ct);
        var queuedOrFailed = await Jobs.ListAsync(new JobQuery { Queue = queue, States = [JobState.Queued, JobState.Failed] }, Ct);
        var none = await Jobs.ListAsync(new JobQuery { Queue = queue, States = [JobState.Submitted] }, Ct);

        Assert.Equal([running.Id], onlyRunning.Items.Select(j => j.Id));
        Assert.Equal([failed.Id, queued.Id], queuedOrFailed.Items.Select(j => j.Id));
        Assert.Empty(none.Items);
    }

    [ContractFact]
    public async Task List_filters_by_queue_owner_kind_and_cluster()
    {
        var (q1, q2) = (Unique.Name("q"), Unique.Name("q"));
        var (ann, bob) = (Unique.Name("ann"), Unique.Name("bob"));
        var cluster = Unique.Name("c");
        var a = await InsertAsync(new JobBuilder().InQueue(q1).OwnedBy(ann).OfKind("SparkApplication"));
        var b = await InsertAsync(new JobBuilder().InQueue(q1).OwnedBy(bob).OfKind("PyTorchJob"));
        var c = await InsertAsync(new JobBuilder().InQueue(q2).OwnedBy(ann).OfKind("PyTorchJob"));
        var (placed, placedEvent) = c.TransitionTo(JobState.Dispatching, "placing", TestClock.At(1));
        c = await Jobs.UpdateAsync(placed with { Cluster = cluster }, placedEvent, Ct);

        async Task<IEnumerable<string>> Ids(JobQuery query) => (await Jobs.ListAsync(query, Ct)).Items.Select(j => j.Id);

        Assert.Equal([b.Id, a.Id], await Ids(new JobQuery { Queue = q1 }));
        Assert.Equal([c.Id, a.Id], await Ids(new JobQuery { Owner = ann }));
        Assert.Equal([c.Id, b.Id], (await Ids(new JobQuery { Kind = "PyTorchJob" })).Where(id => id == b.Id || id == c.Id));
        Assert.Equal([c.Id], await Ids(new JobQuery { Cluster = cluster }));
        Assert.Equal([b.Id], await Ids(new JobQuery { Queue = q1, Owner = bob, Kind = "PyTorchJob" }));
        Assert.Empty(await Ids(new JobQuery { Queue = q2, Owner = bob }));
    }

    [ContractTheory]
    [InlineData("app.kubernetes.io/name=spark", "a,c")]
    [InlineData("app.kubernetes.io/name==spark", "a,c")]
    [InlineData("app.kubernetes.io/name!=spark", "b,d")]
    [InlineData("example.com/tier", "a")]
    [InlineData("!example.com/tier", "b,c,d")]
    [InlineData("app.kubernetes.io/name in (spark,torch)", "a,b,c")]
    [InlineData("app.kubernetes.io/name notin (spark)", "b,d")]
    [InlineData("team in (ml)", "a,b")]
    [InlineData("team notin (ml,data)", "d")]
    [InlineData("team=ml,app.kubernetes.io/name=spark", "a")]
    [InlineData("spot,team=data", "c")]
    [InlineData("app.kubernetes.io/name in (spark,torch),team notin (data)", "a,b")]
    [InlineData("app.kubernetes.io/name in (spark),team!=ml,!example.com/tier", "c")]
    [InlineData("team=nobody", "")]
    [InlineData("", "a,b,c,d")]
    public async Task List_filters_by_label_selector(string selector, string expected)
    {
        var queue = Unique.Name("q");
        var jobs = new Dictionary<string, Job>
        {
            ["a"] = await InsertAsync(new JobBuilder().InQueue(queue).WithLabels(("app.kubernetes.io/name", "spark"), ("team", "ml"), ("example.com/tier", "gold"))),
            ["b"] = await InsertAsync(new JobBuilder().InQueue(queue).WithLabels(("app.kubernetes.io/name", "torch"), ("team", "ml"))),
            ["c"] = await InsertAsync(new JobBuilder().InQueue(queue).WithLabels(("app.kubernetes.io/name", "spark"), ("team", "data"), ("spot", "true"))),
            ["d"] = await InsertAsync(new JobBuilder().InQueue(queue)),
        };
        var parsed = LabelSelector.Parse(selector);

        var page = await Jobs.ListAsync(new JobQuery { Queue = queue, Labels = parsed }, Ct);

        var found = page.Items.Select(j => jobs.Single(p => p.Value.Id == j.Id).Key).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(",", found));
        // The database must agree with the selector's own in-memory reading.
        Assert.Equal(expected, string.Join(",", jobs.Where(p => parsed.Matches(p.Value.Labels)).Select(p => p.Key).Order(StringComparer.Ordinal)));
    }

    [ContractFact]
    public async Task Pagination_visits_every_job_exactly_once_newest_first()
    {
        var queue = Unique.Name("q");
        var ids = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            ids.Add((await InsertAsync(new JobBuilder().InQueue(queue))).Id);
        }

        var pages = await AllPagesAsync(new JobQuery { Queue = queue, Limit = 5 });

        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Reverse(ids), pages.SelectMany(p => p).Select(j => j.Id));
    }

    [ContractFact]
    public async Task A_full_last_page_has_no_cursor()
    {
        var queue = Unique.Name("q");
        for (var i = 0; i < 10; i++)
        {
            await InsertAsync(new JobBuilder().InQueue(queue));
        }

        var first = await Jobs.ListAsync(new JobQuery { Queue = queue, Limit = 5 }, Ct);
        var second = await Jobs.ListAsync(new JobQuery { Queue = queue, Limit = 5, BeforeSeq = first.NextBeforeSeq }, Ct);

        Assert.Equal(first.Items[^1].Seq, first.NextBeforeSeq);
        Assert.Equal(5, second.Items.Count);
        Assert.Null(second.NextBeforeSeq);
    }

    [ContractFact]
    public async Task Pagination_with_filters_pages_through_the_matches_only()
    {
        var queue = Unique.Name("q");
        var matching = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var job = await InsertAsync(new JobBuilder().InQueue(queue).WithLabels(("app.kubernetes.io/name", i % 3 == 0 ? "spark" : "torch")));
            if (i % 3 != 0)
            {
                matching.Add(job.Id);
            }
        }

        var pages = await AllPagesAsync(new JobQuery { Queue = queue, Limit = 3, Labels = LabelSelector.Parse("app.kubernetes.io/name=torch") });

        Assert.Equal([3, 3, 2], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Reverse(matching), pages.SelectMany(p => p).Select(j => j.Id));
    }

    [ContractFact]
    public async Task Pagination_stays_correct_while_jobs_are_inserted_between_pages()
    {
        var queue = Unique.Name("q");
        var existing = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            existing.Add((await InsertAsync(new JobBuilder().InQueue(queue))).Id);
        }

        var seen = new List<string>();
        long? cursor = null;
        do
        {
            var page = await Jobs.ListAsync(new JobQuery { Queue = queue, Limit = 5, BeforeSeq = cursor }, Ct);
            seen.AddRange(page.Items.Select(j => j.Id));
            cursor = page.NextBeforeSeq;
            // Newer jobs arrive while the client reads; they belong to a later listing, not this one.
            for (var i = 0; i < 3; i++)
            {
                await InsertAsync(new JobBuilder().InQueue(queue));
            }
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(existing), seen);
    }

    [ContractFact]
    public async Task Active_returns_the_jobs_that_hold_capacity_in_submission_order()
    {
        var queue = Unique.Name("q");
        var byState = new Dictionary<JobState, Job>();
        foreach (var state in Enum.GetValues<JobState>())
        {
            byState[state] = await InsertInStateAsync(new JobBuilder().InQueue(queue), state);
        }
        var mine = byState.Values.Select(j => j.Id).ToHashSet();

        var active = (await Jobs.ActiveAsync(Ct)).Where(j => mine.Contains(j.Id)).ToList();

        Assert.Equal(
            [JobState.Dispatching, JobState.Submitted, JobState.Running, JobState.Cancelling],
            active.Select(j => j.State));
        Assert.Equal(active.Select(j => j.Seq).Order(), active.Select(j => j.Seq));
        StoreAssert.SameJob(byState[JobState.Running], active.Single(j => j.State == JobState.Running));
    }

    [ContractFact]
    public async Task Queued_heads_are_at_most_n_per_queue_in_submission_order_and_only_queued()
    {
        var (qa, qb, qEmpty, ghost) = (Unique.Name("qa"), Unique.Name("qb"), Unique.Name("qe"), Unique.Name("ghost"));
        foreach (var name in new[] { qa, qb, qEmpty })
        {
            await Store.Queues.CreateAsync(new QueueBuilder(name).Build(), Ct);
        }
        await InsertInStateAsync(new JobBuilder().InQueue(qb), JobState.Dispatching);
        var aJobs = new List<Job>();
        var bJobs = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            aJobs.Add(await InsertAsync(new JobBuilder().InQueue(qa)));
            if (i < 2)
            {
                bJobs.Add(await InsertAsync(new JobBuilder().InQueue(qb)));
            }
        }
        await InsertInStateAsync(new JobBuilder().InQueue(qb), JobState.Cancelled);
        // A queue that is not (or no longer) in the queues table has no head.
        await InsertAsync(new JobBuilder().InQueue(ghost));

        var heads = await Jobs.QueuedHeadsAsync(3, Ct);

        Assert.Equal(aJobs.Take(3).Select(j => j.Id), heads.Where(j => j.Queue == qa).Select(j => j.Id));
        Assert.Equal(bJobs.Select(j => j.Id), heads.Where(j => j.Queue == qb).Select(j => j.Id));
        Assert.DoesNotContain(heads, j => j.Queue == qEmpty || j.Queue == ghost);
        Assert.All(heads, j => Assert.Equal(JobState.Queued, j.State));
        Assert.All(heads.GroupBy(j => j.Queue), g => Assert.InRange(g.Count(), 1, 3));
        StoreAssert.SameJob(aJobs[0], heads.Single(j => j.Id == aJobs[0].Id));
    }

    [ContractFact]
    public async Task Queued_ahead_counts_the_earlier_queued_jobs_of_the_same_queue()
    {
        var (queue, other) = (Unique.Name("q"), Unique.Name("q"));
        var first = await InsertAsync(new JobBuilder().InQueue(queue));
        await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Running);
        await InsertAsync(new JobBuilder().InQueue(other));
        var third = await InsertAsync(new JobBuilder().InQueue(queue));
        var fourth = await InsertAsync(new JobBuilder().InQueue(queue));

        Assert.Equal(0, await Jobs.QueuedAheadAsync(first, Ct));
        Assert.Equal(1, await Jobs.QueuedAheadAsync(third, Ct));
        Assert.Equal(2, await Jobs.QueuedAheadAsync(fourth, Ct));

        await MoveAsync(first, JobState.Cancelled);
        Assert.Equal(1, await Jobs.QueuedAheadAsync(fourth, Ct));
    }

    [ContractFact]
    public async Task Set_queued_messages_touches_only_queued_jobs_and_keeps_their_version()
    {
        var queue = Unique.Name("q");
        var queued = await InsertAsync(new JobBuilder().InQueue(queue).WithMessage("submitted"));
        var running = await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Running);
        var untouched = await InsertAsync(new JobBuilder().InQueue(queue).WithMessage("submitted"));

        await Jobs.SetQueuedMessagesAsync(new Dictionary<string, string>
        {
            [queued.Id] = "waiting: queue quota cpu exhausted",
            [running.Id] = "should not land",
            [JobId.New()] = "unknown job",
        }, Ct);
        await Jobs.SetQueuedMessagesAsync(new Dictionary<string, string>(), Ct);

        var storedQueued = await Jobs.GetAsync(queued.Id, Ct);
        Assert.Equal("waiting: queue quota cpu exhausted", storedQueued!.Message);
        Assert.Equal(queued.Version, storedQueued.Version);
        StoreAssert.SameJob(running, await Jobs.GetAsync(running.Id, Ct));
        StoreAssert.SameJob(untouched, await Jobs.GetAsync(untouched.Id, Ct));
        // The version did not move, so the scheduler's copy can still be written.
        await MoveAsync(queued, JobState.Dispatching);
    }

    [ContractFact]
    public async Task Queued_counts_cover_queues_with_waiting_jobs()
    {
        var (qa, qb, qc) = (Unique.Name("qa"), Unique.Name("qb"), Unique.Name("qc"));
        for (var i = 0; i < 3; i++)
        {
            await InsertAsync(new JobBuilder().InQueue(qa));
        }
        await InsertAsync(new JobBuilder().InQueue(qb));
        await InsertInStateAsync(new JobBuilder().InQueue(qb), JobState.Running);
        await InsertInStateAsync(new JobBuilder().InQueue(qc), JobState.Succeeded);

        var counts = await Jobs.QueuedCountsAsync(Ct);

        Assert.Equal(3, counts[qa]);
        Assert.Equal(1, counts[qb]);
        Assert.False(counts.ContainsKey(qc));
    }

    [ContractFact]
    public async Task Count_by_state_counts_every_state()
    {
        var before = await Jobs.CountByStateAsync(Ct);
        var queue = Unique.Name("q");
        await InsertAsync(new JobBuilder().InQueue(queue));
        await InsertAsync(new JobBuilder().InQueue(queue));
        await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Running);
        await InsertInStateAsync(new JobBuilder().InQueue(queue), JobState.Cancelled);

        var after = await Jobs.CountByStateAsync(Ct);

        Assert.Equal(Enum.GetValues<JobState>(), after.Keys.Order());
        var added = Enum.GetValues<JobState>().ToDictionary(s => s, s => after[s] - before[s]);
        Assert.Equal(2, added[JobState.Queued]);
        Assert.Equal(1, added[JobState.Running]);
        Assert.Equal(1, added[JobState.Cancelled]);
        Assert.Equal(4, added.Values.Sum());
    }

    [ContractFact]
    public async Task Count_groups_counts_per_state_kind_queue_and_cluster()
    {
        var queue = Unique.Name("q");
        var cluster = Unique.Name("c");
        await InsertAsync(new JobBuilder().InQueue(queue));
        await InsertAsync(new JobBuilder().InQueue(queue));
        await InsertAsync(new JobBuilder().InQueue(queue).OfKind("PyTorchJob"));
        var placed = await InsertAsync(new JobBuilder().InQueue(queue));
        var (dispatching, transition) = placed.TransitionTo(JobState.Dispatching, "placing", TestClock.At(1));
        await Jobs.UpdateAsync(dispatching with { Cluster = cluster }, transition, Ct);

        var mine = (await Jobs.CountGroupsAsync(Ct)).Where(c => c.Queue == queue).OrderBy(c => c.State).ThenBy(c => c.Kind, StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                new JobCount(JobState.Queued, "Command", queue, null, 2),
                new JobCount(JobState.Queued, "PyTorchJob", queue, null, 1),
                new JobCount(JobState.Dispatching, "Command", queue, cluster, 1),
            ],
            mine);
    }

    private async Task<List<List<Job>>> AllPagesAsync(JobQuery query)
    {
        var pages = new List<List<Job>>();
        long? cursor = null;
        do
        {
            var page = await Jobs.ListAsync(query with { BeforeSeq = cursor }, Ct);
            pages.Add(page.Items.ToList());
            Assert.True(pages.Count < 100, "the cursor does not advance");
            cursor = page.NextBeforeSeq;
        }
        while (cursor is not null);
        return pages;
    }
}
