using System.Text.Json.Nodes;
using Gantry.Core.Experiments;
using Gantry.Core.Jobs;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;
using Gantry.Core.Tuning.Progress;

namespace Gantry.Core.Tests.Experiments;

public sealed class ExperimentPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static Experiment Spec(int parallel = 2, int max = 4, string extra = "") => ExperimentReader.Read(JsonNode.Parse("""
        {
          "apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment", "metadata": {"name": "plan"},
          "spec": {
            "objective": {"type": "maximize", "objectiveMetricName": "acc"},
            "algorithm": {"algorithmName": "random"},
            "parallelTrialCount": PARALLEL, "maxTrialCount": MAX, "maxFailedTrialCount": 2,
            "parameters": [{"name": "x", "parameterType": "int", "feasibleSpace": {"min": "1", "max": "1000"}}],
            EXTRA
            "trialTemplate": {"primaryContainerName": "main", "trialParameters": [{"name": "x", "reference": "x"}],
              "trialSpec": {"kind": "Command", "spec": {"command": ["echo", "${trialParameters.x}"]}}}
          }
        }
        """.Replace("PARALLEL", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("MAX", max.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("EXTRA", extra, StringComparison.Ordinal))!.AsObject());

    private static ExperimentRun Run(ExperimentConditionType state = ExperimentConditionType.Created) => new()
    {
        Id = "abcdefghijkl", Name = "plan", Owner = "ann", Queue = "default", Manifest = "{}", State = state,
    };

    private static TrialRun Trial(int index, TrialState state = TrialState.Running, string? job = null) => new()
    {
        ExperimentId = "abcdefghijkl", Index = index, Name = $"plan-{index}", Assignments = [new ParameterAssignment("x", (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))],
        JobId = job ?? $"job{index}", State = state, CreatedAt = Now,
    };

    private static IReadOnlyList<MetricLog> Acc(params double[] values) =>
        values.Select((v, i) => new MetricLog("acc", v.ToString(System.Globalization.CultureInfo.InvariantCulture), Now.AddSeconds(i))).ToList();

    [Fact]
    public void A_new_experiment_gets_parallelTrialCount_trials_the_same_ones_when_asked_again()
    {
        var first = ExperimentPlanner.Plan(Spec(parallel: 3), Run(), [], Now);
        var again = ExperimentPlanner.Plan(Spec(parallel: 3), Run(), [], Now);

        Assert.Equal(3, first.NewTrials.Count);
        Assert.Equal([0, 1, 2], first.NewTrials.Select(t => t.Index));
        Assert.All(first.NewTrials, t => Assert.Null(t.JobId));
        Assert.Equal(first.NewTrials.Select(t => (t.Name, t.Assignments[0].Value)), again.NewTrials.Select(t => (t.Name, t.Assignments[0].Value)));
        Assert.Equal(3, first.NewTrials.Select(t => t.Name).Distinct().Count());
        Assert.Equal(ExperimentConditionType.Running, first.Experiment.State);
        Assert.Equal(Now, first.Experiment.StartedAt);
        Assert.Equal(3, first.Experiment.Summary.Counts.Created);
    }

    [Fact]
    public void Finished_jobs_settle_their_trials_by_Katibs_rule_and_free_their_slots()
    {
        var trials = new[]
        {
            new TrialSnapshot(Trial(0), JobState.Succeeded, "ok", Acc(0.5, 0.7)),
            new TrialSnapshot(Trial(1), JobState.Succeeded, "ok", []),
        };

        var plan = ExperimentPlanner.Plan(Spec(parallel: 2, max: 4), Run(ExperimentConditionType.Running), trials, Now);

        Assert.Equal([TrialState.Succeeded, TrialState.MetricsUnavailable], plan.ChangedTrials.Select(t => t.State));
        Assert.Equal(0.7, plan.ChangedTrials[0].Objective);
        Assert.Equal("0.5", plan.ChangedTrials[0].Metrics[0].Min);
        Assert.Equal(2, plan.NewTrials.Count);
        Assert.Equal([2, 3], plan.NewTrials.Select(t => t.Index));
        Assert.Equal("plan-0", plan.Experiment.Summary.Best!.Name);
    }

    [Fact]
    public void Reaching_maxFailedTrialCount_fails_the_experiment_and_stops_what_still_runs()
    {
        var trials = new[]
        {
            new TrialSnapshot(Trial(0), JobState.Failed, "exit 1", []),
            new TrialSnapshot(Trial(1), JobState.Failed, "exit 1", []),
            new TrialSnapshot(Trial(2), JobState.Running, null, []),
            TrialSnapshot.Settled(Trial(3, TrialState.Created, job: null) with { JobId = null }),
        };

        var plan = ExperimentPlanner.Plan(Spec(parallel: 4, max: 10), Run(ExperimentConditionType.Running), trials, Now);

        Assert.Equal(ExperimentConditionType.Failed, plan.Experiment.State);
        Assert.Equal(Now, plan.Experiment.FinishedAt);
        Assert.Equal(["job2"], plan.JobsToCancel);
        Assert.Empty(plan.NewTrials);
        Assert.Equal(TrialState.Killed, Assert.Single(plan.ChangedTrials, t => t.Index == 3).State);
    }

    [Fact]
    public void Medianstop_stops_a_running_trial_worse_than_the_succeeded_ones_and_cancels_its_job()
    {
        var spec = Spec(parallel: 3, max: 3, extra: """
            "earlyStopping": {"algorithmName": "medianstop", "algorithmSettings": [{"name": "min_trials_required", "value": "2"}, {"name": "start_step", "value": "2"}]},
            """);
        var trials = new[]
        {
            new TrialSnapshot(Trial(0), JobState.Succeeded, null, Acc(0.8, 0.9)),
            new TrialSnapshot(Trial(1), JobState.Succeeded, null, Acc(0.9, 0.9)),
            new TrialSnapshot(Trial(2), JobState.Running, null, Acc(0.1, 0.2)),
        };

        var plan = ExperimentPlanner.Plan(spec, Run(ExperimentConditionType.Running), trials, Now);

        var stopped = Assert.Single(plan.ChangedTrials, t => t.Index == 2);
        Assert.Equal(TrialState.EarlyStopped, stopped.State);
        Assert.Contains("medianstop", stopped.Message);
        Assert.Equal(["job2"], plan.JobsToCancel);
        Assert.Equal(ExperimentConditionType.Succeeded, plan.Experiment.State);
    }

    [Fact]
    public void A_cancelled_experiment_keeps_its_state_creates_nothing_and_cancels_its_active_jobs()
    {
        var cancelled = Run(ExperimentConditionType.Failed) with { Reason = "ExperimentCancelled", Message = "by ann", FinishedAt = Now };
        var trials = new[] { new TrialSnapshot(Trial(0), JobState.Running, null, []), new TrialSnapshot(Trial(1), JobState.Cancelled, "cancelled", []) };

        var plan = ExperimentPlanner.Plan(Spec(), cancelled, trials, Now.AddSeconds(5));

        Assert.Equal("ExperimentCancelled", plan.Experiment.Reason);
        Assert.Equal(Now, plan.Experiment.FinishedAt);
        Assert.Empty(plan.NewTrials);
        Assert.Equal(["job0"], plan.JobsToCancel);
        Assert.Equal(TrialState.Killed, Assert.Single(plan.ChangedTrials, t => t.Index == 1).State);
        Assert.Equal(TrialState.Running, Assert.Single(plan.ChangedTrials, t => t.Index == 0).State);
    }
}
