using Gantry.Core.Errors;
using Gantry.Core.Jobs;
using Gantry.Core.Resources;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

/// <summary>Storing, reading, idempotent submission, updates and history of jobs.</summary>
public abstract class JobStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    [ContractFact]
    public async Task Insert_then_get_returns_the_same_job_with_a_sequence()
    {
        var job = new JobBuilder()
            .Named("nightly-etl")
            .OfKind("SparkApplication")
            .InQueue(Unique.Name("q"))
            .OwnedBy(Unique.Name("ann"))
            .WithPriority(-7)
            .WithLabels(("app.kubernetes.io/name", "etl"), ("team", "data"), ("example.com/cost-center", "cc_42"))
            .WithManifest("""{"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication","spec":{"args":["--date","2025-03-14"],"note":"grüße \"quoted\" \\ back\nslash","sparkConf":{"spark.executor.instances":"3"}}}""")
            .WithDemand(
                new PodDemand("driver", 1, new Resources(1000, 2L << 30, 0)),
                new PodDemand("executor", 3, new Resources(2500, 8L << 30, 1)),
                new PodDemand("sidecar", 2, new Resources(100, 64L << 20, 0)))
            .WithMessage("waiting for capacity")
            .WithMaxAttempts(3)
            .CreatedAt(new DateTimeOffset(2025, 6, 30, 23, 59, 59, 999, TimeSpan.Zero))
            .Build();

        var outcome = await Jobs.InsertAsync(new NewJob(job), Ct);
        var stored = await Jobs.GetAsync(job.Id, Ct);

        Assert.True(outcome.Created);
        Assert.True(outcome.Job.Seq > 0);
        StoreAssert.SameJob(job with { Seq = outcome.Job.Seq }, outcome.Job);
        StoreAssert.SameJob(job with { Seq = outcome.Job.Seq }, stored);
    }

    [ContractFact]
    public async Task Every_field_an_update_sets_is_read_back()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")).WithMaxAttempts(2));
        var (dispatching, _) = job.TransitionTo(JobState.Dispatching, "placing", TestClock.At(10));
        var changed = dispatching with
        {
            Name = "renamed",
            Priority = 42,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "gantry", ["tier"] = "gold" },
            Cluster = "gpu-east",
            BackendState = """{"namespace":"ml","name":"g-abc"}""",
        };
        var dispatched = await Jobs.UpdateAsync(changed, null, Ct);
        var (running, _) = dispatched.TransitionTo(JobState.Running, "started", TestClock.At(12.345));
        var final = await Jobs.UpdateAsync(running with { SparkUiUrl = "http://spark-ui.example/jobs/1" }, null, Ct);

        var stored = await Jobs.GetAsync(job.Id, Ct);

        Assert.Equal(2, final.Version);
        Assert.Equal(1, final.Attempts);
        Assert.Equal(TestClock.At(12.345), final.StartedAt);
        StoreAssert.SameJob(final, stored);
    }

    [ContractFact]
    public async Task Times_are_kept_to_the_millisecond_as_the_same_instant()
    {
        var created = new DateTimeOffset(2024, 2, 29, 8, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var job = new JobBuilder().InQueue(Unique.Name("q")).CreatedAt(created).Build();

        await Jobs.InsertAsync(new NewJob(job), Ct);
        var stored = await Jobs.GetAsync(job.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 6, 30, 15, 123, TimeSpan.Zero), stored.CreatedAt);
        Assert.Equal(stored.CreatedAt, stored.UpdatedAt);
        Assert.Null(stored.StartedAt);
        Assert.Null(stored.FinishedAt);
    }

    [ContractFact]
    public async Task Sequences_grow_with_each_insert()
    {
        var queue = Unique.Name("q");
        var seqs = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            seqs.Add((await InsertAsync(new JobBuilder().InQueue(queue))).Seq);
        }

        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [ContractFact]
    public async Task Get_of_an_unknown_id_returns_null()
    {
        Assert.Null(await Jobs.GetAsync(JobId.New(), Ct));
    }

    [ContractFact]
    public async Task Insert_stores_the_first_event()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")).WithMessage("submitted by ann").CreatedAt(TestClock.At(3.21)));

        var events = await Jobs.EventsAsync(job.Id, 0, Ct);

        var first = Assert.Single(events);
        Assert.Equal(job.Id, first.JobId);
        Assert.Null(first.From);
        Assert.Equal(JobState.Queued, first.To);
        Assert.Equal("submitted by ann", first.Reason);
        Assert.Equal(TestClock.At(3.21), first.At);
        Assert.True(first.Seq > 0);
    }

    [ContractFact]
    public async Task Same_owner_and_key_returns_the_first_job_and_stores_nothing_more()
    {
        var owner = Unique.Name("ann");
        var queue = Unique.Name("q");
        var first = await Jobs.InsertAsync(new JobBuilder().OwnedBy(owner).InQueue(queue).Named("first").AsSubmission("key-1", "hash-a"), Ct);
        var second = new JobBuilder().OwnedBy(owner).InQueue(queue).Named("second").AsSubmission("key-1", "hash-a");

        var replay = await Jobs.InsertAsync(second, Ct);

        Assert.True(first.Created);
        Assert.False(replay.Created);
        StoreAssert.SameJob(first.Job, replay.Job);
        Assert.Null(await Jobs.GetAsync(second.Job.Id, Ct));
        Assert.Empty(await Jobs.EventsAsync(second.Job.Id, 0, Ct));
        Assert.Single(await Jobs.EventsAsync(first.Job.Id, 0, Ct));
        var page = await Jobs.ListAsync(new JobQuery { Owner = owner }, Ct);
        Assert.Equal([first.Job.Id], page.Items.Select(j => j.Id));
    }

    [ContractFact]
    public async Task A_replay_returns_the_job_as_it_is_now()
    {
        var owner = Unique.Name("ann");
        var first = await Jobs.InsertAsync(new JobBuilder().OwnedBy(owner).AsSubmission("key-1", "hash-a"), Ct);
        var moved = await MoveAsync(first.Job, JobState.Dispatching, JobState.Running);

        var replay = await Jobs.InsertAsync(new JobBuilder().OwnedBy(owner).AsSubmission("key-1", "hash-a"), Ct);

        Assert.False(replay.Created);
        StoreAssert.SameJob(moved, replay.Job);
    }

    [ContractFact]
    public async Task Same_key_with_a_different_request_hash_is_a_conflict()
    {
        var owner = Unique.Name("ann");
        var first = await Jobs.InsertAsync(new JobBuilder().OwnedBy(owner).AsSubmission("key-1", "hash-a"), Ct);
        var other = new JobBuilder().OwnedBy(owner).AsSubmission("key-1", "hash-b");

        await Assert.ThrowsAsync<ConflictException>(() => Jobs.InsertAsync(other, Ct));

        Assert.Null(await Jobs.GetAsync(other.Job.Id, Ct));
        var page = await Jobs.ListAsync(new JobQuery { Owner = owner }, Ct);
        Assert.Equal([first.Job.Id], page.Items.Select(j => j.Id));
    }

    [ContractFact]
    public async Task Same_key_for_different_owners_creates_two_jobs()
    {
        var ann = await Jobs.InsertAsync(new JobBuilder().OwnedBy(Unique.Name("ann")).AsSubmission("shared-key", "hash-a"), Ct);
        var bob = await Jobs.InsertAsync(new JobBuilder().OwnedBy(Unique.Name("bob")).AsSubmission("shared-key", "hash-a"), Ct);

        Assert.True(ann.Created);
        Assert.True(bob.Created);
        Assert.NotEqual(ann.Job.Id, bob.Job.Id);
        Assert.NotNull(await Jobs.GetAsync(ann.Job.Id, Ct));
        Assert.NotNull(await Jobs.GetAsync(bob.Job.Id, Ct));
    }

    [ContractFact]
    public async Task Jobs_without_a_key_are_never_merged()
    {
        var owner = Unique.Name("ann");

        var a = await Jobs.InsertAsync(new JobBuilder().OwnedBy(owner).AsSubmission(), Ct);
        var b = await Jobs.InsertAsync(new JobBuilder().OwnedBy(owner).AsSubmission(), Ct);

        Assert.True(a.Created);
        Assert.True(b.Created);
        Assert.Equal(2, (await Jobs.ListAsync(new JobQuery { Owner = owner }, Ct)).Items.Count);
    }

    [ContractFact]
    public async Task Concurrent_inserts_all_complete_and_are_stored_exactly_once()
    {
        // 200 parallel submissions: 100 without a key, 40 keys submitted twice with the same
        // request (one job each), 10 keys submitted twice with different requests (one job,
        // one conflict each). Group commit puts many of them in one transaction; the conflicts
        // must not fail their neighbours.
        var owner = Unique.Name("ann");
        var queue = Unique.Name("q");
        var submissions = new List<(NewJob Submission, string Group)>();
        for (var i = 0; i < 100; i++)
        {
            submissions.Add((new JobBuilder().OwnedBy(owner).InQueue(queue).Named($"plain-{i}").AsSubmission(), $"plain-{i}"));
        }
        for (var i = 0; i < 40; i++)
        {
            submissions.Add((new JobBuilder().OwnedBy(owner).InQueue(queue).AsSubmission($"same-{i}", "h"), $"same-{i}"));
            submissions.Add((new JobBuilder().OwnedBy(owner).InQueue(queue).AsSubmission($"same-{i}", "h"), $"same-{i}"));
        }
        for (var i = 0; i < 10; i++)
        {
            submissions.Add((new JobBuilder().OwnedBy(owner).InQueue(queue).AsSubmission($"clash-{i}", "h1"), $"clash-{i}"));
            submissions.Add((new JobBuilder().OwnedBy(owner).InQueue(queue).AsSubmission($"clash-{i}", "h2"), $"clash-{i}"));
        }
        Assert.Equal(200, submissions.Count);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = submissions.Select(s => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                return (s.Group, s.Submission, Outcome: (SubmitOutcome?)await Jobs.InsertAsync(s.Submission, Ct), Error: (Exception?)null);
            }
            catch (ConflictException ex)
            {
                return (s.Group, s.Submission, Outcome: (SubmitOutcome?)null, Error: (Exception?)ex);
            }
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);

        foreach (var group in results.GroupBy(r => r.Group))
        {
            var created = group.Where(r => r.Outcome is { Created: true }).ToList();
            Assert.True(created.Count == 1, $"{group.Key}: {created.Count} submissions created a job");
            var ids = group.Where(r => r.Outcome is not null).Select(r => r.Outcome!.Job.Id).Distinct().ToList();
            Assert.True(ids.Count == 1, $"{group.Key}: the submissions saw {ids.Count} different jobs");
            var conflicts = group.Count(r => r.Error is not null);
            Assert.Equal(group.Key.StartsWith("clash-", StringComparison.Ordinal) ? 1 : 0, conflicts);
        }

        var expectedIds = results.Where(r => r.Outcome is { Created: true }).Select(r => r.Outcome!.Job.Id).ToHashSet();
        Assert.Equal(150, expectedIds.Count);
        var stored = (await Jobs.ListAsync(new JobQuery { Owner = owner, Limit = 1000 }, Ct)).Items;
        Assert.Equal(150, stored.Count);
        Assert.Equal(expectedIds.Order(StringComparer.Ordinal), stored.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.Equal(150, stored.Select(j => j.Seq).Distinct().Count());
        foreach (var job in stored)
        {
            Assert.Single(await Jobs.EventsAsync(job.Id, 0, Ct));
        }
        foreach (var loser in results.Where(r => r.Outcome is null or { Created: false }))
        {
            Assert.Null(await Jobs.GetAsync(loser.Submission.Job.Id, Ct));
        }
    }

    [ContractFact]
    public async Task Update_writes_the_change_with_its_event_and_bumps_the_version()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")));
        var (next, transition) = job.TransitionTo(JobState.Dispatching, "placing on local", TestClock.At(5));

        var updated = await Jobs.UpdateAsync(next with { Cluster = "local" }, transition, Ct);

        Assert.Equal(job.Version + 1, updated.Version);
        StoreAssert.SameJob(updated, await Jobs.GetAsync(job.Id, Ct));
        var events = await Jobs.EventsAsync(job.Id, 0, Ct);
        Assert.Equal(2, events.Count);
        Assert.Equal((JobState?)JobState.Queued, events[1].From);
        Assert.Equal(JobState.Dispatching, events[1].To);
        Assert.Equal("placing on local", events[1].Reason);
        Assert.Equal(TestClock.At(5), events[1].At);
    }

    [ContractFact]
    public async Task Update_without_a_transition_writes_no_event()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")));

        var updated = await Jobs.UpdateAsync(job with { Priority = 9, Message = "bumped" }, null, Ct);

        Assert.Equal(1, updated.Version);
        Assert.Single(await Jobs.EventsAsync(job.Id, 0, Ct));
        var stored = await Jobs.GetAsync(job.Id, Ct);
        Assert.Equal(9, stored!.Priority);
        Assert.Equal("bumped", stored.Message);
    }

    [ContractFact]
    public async Task Update_from_a_stale_version_throws_and_writes_nothing()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")));
        var winner = await MoveAsync(job, JobState.Dispatching);
        var (stale, staleEvent) = job.TransitionTo(JobState.Cancelled, "cancelled by ann", TestClock.At(9));

        await Assert.ThrowsAsync<ConcurrencyException>(() => Jobs.UpdateAsync(stale with { Message = "lost" }, staleEvent, Ct));

        StoreAssert.SameJob(winner, await Jobs.GetAsync(job.Id, Ct));
        var events = await Jobs.EventsAsync(job.Id, 0, Ct);
        Assert.Equal([JobState.Queued, JobState.Dispatching], events.Select(e => e.To));
    }

    [ContractFact]
    public async Task Two_writers_from_the_same_version_one_wins()
    {
        var job = await InsertAsync(new JobBuilder().InQueue(Unique.Name("q")));
        var (a, aEvent) = job.TransitionTo(JobState.Dispatching, "scheduler", TestClock.At(1));
        var (b, bEvent) = job.TransitionTo(JobState.Cancelled, "user", TestClock.At(1));

        var results = await Task.WhenAll(
            Task.Run(() => Outcome(Jobs.UpdateAsync(a, aEvent, Ct))),
            Task.Run(() => Outcome(Jobs.UpdateAsync(b, bEvent, Ct))));

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is ConcurrencyException);
        Assert.Equal(2, (await Jobs.EventsAsync(job.Id, 0, Ct)).Count);
        Assert.Equal(1, (await Jobs.GetAsync(job.Id, Ct))!.Version);

        static async Task<Exception?> Outcome(Task update)
        {
            try
            {
                await update;
                return null;
            }
            catch (ConcurrencyException ex)
            {
                return ex;
            }
        }
    }

    [ContractFact]
    public async Task Events_come_in_order_and_after_seq_returns_only_later_ones()
    {
        var queue = Unique.Name("q");
        var job = await InsertAsync(new JobBuilder().InQueue(queue));
        var neighbour = await InsertAsync(new JobBuilder().InQueue(queue));
        job = await MoveAsync(job, JobState.Dispatching);
        neighbour = await MoveAsync(neighbour, JobState.Cancelled);
        job = await MoveAsync(job, JobState.Running, JobState.Succeeded);

        var all = await Jobs.EventsAsync(job.Id, 0, Ct);
        var later = await Jobs.EventsAsync(job.Id, all[1].Seq, Ct);
        var none = await Jobs.EventsAsync(job.Id, all[^1].Seq, Ct);

        Assert.Equal([JobState.Queued, JobState.Dispatching, JobState.Running, JobState.Succeeded], all.Select(e => e.To));
        Assert.Equal([null, JobState.Queued, JobState.Dispatching, JobState.Running], all.Select(e => e.From));
        Assert.All(all, e => Assert.Equal(job.Id, e.JobId));
        Assert.Equal(all.Select(e => e.Seq).Order(), all.Select(e => e.Seq));
        Assert.Equal(all.Skip(2).Select(e => e.Seq), later.Select(e => e.Seq));
        Assert.Empty(none);
        Assert.Empty(await Jobs.EventsAsync(JobId.New(), 0, Ct));
    }

    [ContractFact]
    public async Task Events_since_a_seq_span_every_job_in_order_and_stop_at_the_limit()
    {
        var queue = Unique.Name("q");
        var start = await Jobs.LastEventSeqAsync(Ct);
        var job = await InsertAsync(new JobBuilder().InQueue(queue));
        var neighbour = await InsertAsync(new JobBuilder().InQueue(queue));
        job = await MoveAsync(job, JobState.Dispatching);
        neighbour = await MoveAsync(neighbour, JobState.Cancelled);
        var ours = new HashSet<string> { job.Id, neighbour.Id };

        // Other tests may write to the same store meanwhile: look only at this test's jobs.
        var since = (await Jobs.EventsSinceAsync(start, 1000, Ct)).Where(e => ours.Contains(e.JobId)).ToList();
        var last = await Jobs.LastEventSeqAsync(Ct);
        var firstTwo = await Jobs.EventsSinceAsync(start, 2, Ct);

        Assert.Equal(
            [(job.Id, JobState.Queued), (neighbour.Id, JobState.Queued), (job.Id, JobState.Dispatching), (neighbour.Id, JobState.Cancelled)],
            since.Select(e => (e.JobId, e.To)));
        Assert.Equal(since.Select(e => e.Seq).Order(), since.Select(e => e.Seq));
        Assert.All(since, e => Assert.True(e.Seq > start));
        Assert.True(last >= since[^1].Seq);
        Assert.Equal(2, firstTwo.Count);
        Assert.Empty(await Jobs.EventsSinceAsync(last + 1_000_000, 10, Ct));
    }
}
