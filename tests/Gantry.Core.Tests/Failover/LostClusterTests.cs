using Gantry.Core.Failover;
using Gantry.Core.Jobs;
using Gantry.Core.Resources;

namespace Gantry.Core.Tests.Failover;

public sealed class LostClusterTests
{
    private static readonly DateTimeOffset Since = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, false)]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(600, true)]
    public void A_cluster_is_lost_only_once_the_grace_period_has_passed(int secondsUnhealthy, bool lost)
    {
        Assert.Equal(lost, LostCluster.IsLost(Since, Since.AddSeconds(secondsUnhealthy), TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void A_healthy_cluster_is_never_lost()
    {
        Assert.False(LostCluster.IsLost(null, Since.AddDays(1), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(JobState.Dispatching)]
    [InlineData(JobState.Submitted)]
    public void A_job_that_had_not_started_goes_back_to_the_queue_without_using_an_attempt(JobState state)
    {
        var job = On("east", state);

        var decision = LostCluster.Decide(job, "east", Since)!;
        var (next, _) = job.TransitionTo(decision.To, decision.Reason, Since.AddMinutes(3));

        Assert.Equal(JobState.Queued, decision.To);
        Assert.Contains("cluster east lost", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("before the job started", decision.Reason, StringComparison.Ordinal);
        Assert.Null(next.Cluster);
        Assert.Equal(0, next.Attempts);
    }

    [Fact]
    public void A_running_job_with_attempts_left_is_queued_for_another()
    {
        var job = On("east", JobState.Running) with { Attempts = 1, MaxAttempts = 2 };

        var decision = LostCluster.Decide(job, "east", Since)!;

        Assert.Equal(JobState.Queued, decision.To);
        Assert.Contains("attempt 1 of 2", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public void A_running_job_without_attempts_left_fails_with_the_loss(int attempts, int maxAttempts)
    {
        var job = On("east", JobState.Running) with { Attempts = attempts, MaxAttempts = maxAttempts };

        var decision = LostCluster.Decide(job, "east", Since)!;

        Assert.Equal(JobState.Failed, decision.To);
        Assert.Contains("no attempts left", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancel_that_cannot_reach_the_cluster_is_done()
    {
        Assert.Equal(JobState.Cancelled, LostCluster.Decide(On("east", JobState.Cancelling), "east", Since)!.To);
    }

    [Theory]
    [InlineData("west", JobState.Running)]
    [InlineData("east", JobState.Succeeded)]
    [InlineData("east", JobState.Queued)]
    public void A_job_elsewhere_or_not_active_is_left_alone(string cluster, JobState state)
    {
        Assert.Null(LostCluster.Decide(On(cluster, state), "east", Since));
    }

    [Fact]
    public void Every_decision_is_a_transition_the_state_machine_allows()
    {
        foreach (var state in Enum.GetValues<JobState>())
        {
            foreach (var attempts in new[] { 1, 2 })
            {
                var job = On("east", state) with { Attempts = attempts, MaxAttempts = 2 };
                if (LostCluster.Decide(job, "east", Since) is { } decision)
                {
                    Assert.True(JobStateMachine.CanTransition(state, decision.To), $"{state} -> {decision.To}");
                }
            }
        }
    }

    private static Job On(string cluster, JobState state) => new()
    {
        Id = JobId.New(),
        Name = "train",
        Kind = "PyTorchJob",
        Queue = "default",
        Owner = "ann",
        Manifest = "{}",
        Demand = ResourceDemand.None,
        CreatedAt = Since.AddHours(-1),
        State = state,
        Cluster = cluster,
    };
}
