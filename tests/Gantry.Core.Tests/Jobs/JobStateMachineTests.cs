using Gantry.Core.Jobs;
using Gantry.Core.Resources;

namespace Gantry.Core.Tests.Jobs;

public sealed class JobStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(JobState.Queued, JobState.Dispatching)]
    [InlineData(JobState.Queued, JobState.Cancelled)]
    [InlineData(JobState.Queued, JobState.Failed)]
    [InlineData(JobState.Dispatching, JobState.Running)]
    [InlineData(JobState.Dispatching, JobState.Submitted)]
    [InlineData(JobState.Dispatching, JobState.Queued)]
    [InlineData(JobState.Submitted, JobState.Running)]
    [InlineData(JobState.Running, JobState.Succeeded)]
    [InlineData(JobState.Running, JobState.Cancelling)]
    [InlineData(JobState.Running, JobState.Queued)]
    [InlineData(JobState.Cancelling, JobState.Cancelled)]
    [InlineData(JobState.Cancelling, JobState.Succeeded)]
    public void Allowed_transitions_are_allowed(JobState from, JobState to) =>
        Assert.True(JobStateMachine.CanTransition(from, to));

    [Theory]
    [InlineData(JobState.Queued, JobState.Running)]
    [InlineData(JobState.Queued, JobState.Succeeded)]
    [InlineData(JobState.Running, JobState.Cancelled)]
    [InlineData(JobState.Running, JobState.Dispatching)]
    [InlineData(JobState.Cancelling, JobState.Running)]
    [InlineData(JobState.Succeeded, JobState.Running)]
    [InlineData(JobState.Failed, JobState.Queued)]
    [InlineData(JobState.Cancelled, JobState.Cancelling)]
    public void Forbidden_transitions_are_refused(JobState from, JobState to) =>
        Assert.False(JobStateMachine.CanTransition(from, to));

    [Fact]
    public void Terminal_states_have_no_way_out()
    {
        foreach (var terminal in new[] { JobState.Succeeded, JobState.Failed, JobState.Cancelled })
        {
            Assert.True(JobStateMachine.IsTerminal(terminal));
            Assert.All(Enum.GetValues<JobState>(), to => Assert.False(JobStateMachine.CanTransition(terminal, to)));
        }
    }

    [Fact]
    public void Every_state_can_reach_a_terminal_state()
    {
        foreach (var start in Enum.GetValues<JobState>())
        {
            var seen = new HashSet<JobState> { start };
            var frontier = new Queue<JobState>([start]);
            while (frontier.TryDequeue(out var state))
            {
                foreach (var next in Enum.GetValues<JobState>().Where(n => JobStateMachine.CanTransition(state, n) && seen.Add(n)))
                {
                    frontier.Enqueue(next);
                }
            }
            Assert.Contains(seen, JobStateMachine.IsTerminal);
        }
    }

    [Fact]
    public void A_transition_stamps_times_counts_a_start_as_an_attempt_and_yields_its_event()
    {
        var job = NewJob();

        var (dispatching, e1) = job.TransitionTo(JobState.Dispatching, "placed on local", T0.AddSeconds(1));
        var (running, _) = dispatching.TransitionTo(JobState.Running, "started", T0.AddSeconds(2));
        var (done, e3) = running.TransitionTo(JobState.Succeeded, "exit code 0", T0.AddSeconds(5));

        Assert.Equal(0, dispatching.Attempts);
        Assert.Equal(1, running.Attempts);
        Assert.Equal(new JobEvent(job.Id, T0.AddSeconds(1), JobState.Queued, JobState.Dispatching, "placed on local"), e1);
        Assert.Equal(T0.AddSeconds(2), done.StartedAt);
        Assert.Equal(T0.AddSeconds(5), done.FinishedAt);
        Assert.Equal("exit code 0", done.Message);
        Assert.Equal(JobState.Running, e3.From);
    }

    [Fact]
    public void Going_back_to_the_queue_forgets_the_placement()
    {
        var job = NewJob() with { State = JobState.Running, Cluster = "east", StartedAt = T0, BackendState = "{}" };

        var (requeued, _) = job.TransitionTo(JobState.Queued, "cluster lost", T0.AddMinutes(1));

        Assert.Null(requeued.Cluster);
        Assert.Null(requeued.StartedAt);
        Assert.Null(requeued.BackendState);
    }

    [Fact]
    public void An_illegal_transition_throws_and_names_both_states()
    {
        var job = NewJob() with { State = JobState.Succeeded };

        var error = Assert.Throws<InvalidTransitionException>(() => job.TransitionTo(JobState.Running, "again", T0));

        Assert.Contains("Succeeded", error.Message);
        Assert.Contains("Running", error.Message);
    }

    [Fact]
    public void A_note_keeps_the_state_and_records_an_event_from_it_to_itself()
    {
        var (running, _) = NewJob().TransitionTo(JobState.Dispatching, "placed", T0).Job.TransitionTo(JobState.Running, "started", T0);
        var at = T0.AddSeconds(5);

        var (noted, note) = running.Note("worker-1 restarted (exit 1), 1/3", at);

        Assert.Equal(JobState.Running, noted.State);
        Assert.Equal("worker-1 restarted (exit 1), 1/3", noted.Message);
        Assert.Equal(at, noted.UpdatedAt);
        Assert.Equal(running.StartedAt, noted.StartedAt);
        Assert.Equal(new JobEvent(running.Id, at, JobState.Running, JobState.Running, "worker-1 restarted (exit 1), 1/3"), note);
    }

    [Fact]
    public void Job_ids_are_unique_dns_safe_and_recognised()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => JobId.New()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z][a-z2-7]{11}$", id));
        Assert.All(ids, id => Assert.True(JobId.IsWellFormed(id)));
        Assert.False(JobId.IsWellFormed("Aaaaaaaaaaaa"));
        Assert.False(JobId.IsWellFormed("short"));
        Assert.False(JobId.IsWellFormed(null));
    }

    [Fact]
    public void An_attempt_is_a_start_not_a_placement()
    {
        var job = NewJob() with { MaxAttempts = 2 };

        var (placed, _) = job.TransitionTo(JobState.Dispatching, "placed on east", T0);
        var (requeued, _) = placed.TransitionTo(JobState.Queued, "dispatch failed", T0.AddSeconds(1));
        var (again, _) = requeued.TransitionTo(JobState.Dispatching, "placed on west", T0.AddSeconds(2));
        var (finishedUnseen, _) = again.TransitionTo(JobState.Succeeded, "done before it was seen running", T0.AddSeconds(3));

        Assert.Equal(0, requeued.Attempts);
        Assert.Equal(1, finishedUnseen.Attempts);
    }

    private static Job NewJob() => new()
    {
        Id = JobId.New(),
        Name = "test",
        Kind = "Command",
        Queue = "default",
        Owner = "ann",
        Manifest = "{}",
        Demand = new ResourceDemand([new PodDemand("main", 1, new Gantry.Core.Resources.Resources(1000, 1 << 30, 0))]),
        CreatedAt = T0,
    };
}
