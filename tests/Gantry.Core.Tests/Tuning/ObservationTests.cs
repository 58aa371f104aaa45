using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;

namespace Gantry.Core.Tests.Tuning;

public class ObservationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Objective Minimize(params (string Metric, MetricStrategy Strategy)[] strategies) =>
        new(ObjectiveType.Minimize, "loss", 0.1, ["accuracy"], strategies.ToDictionary(s => s.Metric, s => s.Strategy));

    [Fact]
    public void Min_max_and_latest_follow_Katib_with_unparseable_values_left_out_of_min_and_max()
    {
        MetricLog[] logs =
        [
            new("loss", "0.9", T0), new("loss", "0.2", T0.AddSeconds(1)), new("loss", "unavailable", T0.AddSeconds(2)),
            new("loss", "0.5", T0.AddSeconds(3)), new("accuracy", "0.7", T0.AddSeconds(3)), new("loss", "0.4", T0.AddSeconds(3)),
        ];

        var summaries = Observation.Summarize(logs, ["loss", "accuracy", "f1"]);

        Assert.Equal(new MetricSummary("loss", "0.2", "0.9", "0.4"), summaries[0]);
        Assert.Equal(new MetricSummary("accuracy", "0.7", "0.7", "0.7"), summaries[1]);
        Assert.Equal(new MetricSummary("f1", "unavailable", "unavailable", "unavailable"), summaries[2]);
        Assert.Equal(0.2, Observation.ObjectiveValue(Minimize(("loss", MetricStrategy.Min)), logs));
        Assert.Equal(0.9, Observation.ObjectiveValue(Minimize(("loss", MetricStrategy.Max)), logs));
        Assert.Equal(0.4, Observation.ObjectiveValue(Minimize(("loss", MetricStrategy.Latest)), logs));
    }

    [Fact]
    public void No_parseable_value_means_no_objective()
    {
        Assert.Null(Observation.ObjectiveValue(Minimize(), [new MetricLog("loss", "unavailable", T0)]));
        Assert.Null(Observation.ObjectiveValue(Minimize(), []));
    }

    [Fact]
    public void Katibs_default_filter_reads_name_value_pairs_with_signs_and_exponents_and_keeps_only_wanted_metrics()
    {
        string[] lines =
        [
            "epoch 1: loss=0.52 accuracy = 0.8 lr=0.01",
            "2026-01-01T00:00:05Z loss=-1.5e-3",
            "nothing to see here",
            "loss = .25, val-loss=3",
        ];

        var logs = StdOutMetricsParser.Parse(lines, ["loss", "accuracy"], [], T0);

        Assert.Equal([("loss", "0.52"), ("accuracy", "0.8"), ("loss", "-1.5e-3"), ("loss", ".25")], logs.Select(l => (l.Name, l.Value)));
        Assert.Equal(T0.AddSeconds(5), logs[2].Time);
        Assert.Equal(T0, logs[0].Time);
    }

    [Fact]
    public void A_custom_filter_reads_its_groups_and_a_missing_objective_becomes_unavailable()
    {
        var filter = KatibExperiments.Read("metrics-collector_file-metrics-collector.yaml").MetricsCollector.MetricsFormat;
        string[] lines = ["{metricName: accuracy, metricValue: 0.9132}", "{metricName: loss, metricValue: 0.2857}"];

        var logs = StdOutMetricsParser.Parse(lines, ["accuracy", "loss"], filter, T0);
        Assert.Equal([("accuracy", "0.9132"), ("loss", "0.2857")], logs.Select(l => (l.Name, l.Value)));

        var missing = StdOutMetricsParser.Parse(["loss=0.3"], ["accuracy", "loss"], [], T0);
        Assert.Equal([("loss", "0.3"), ("accuracy", "unavailable")], missing.Select(l => (l.Name, l.Value)));
    }

    [Fact]
    public void Parsing_is_bounded_in_lines_and_values()
    {
        var lines = Enumerable.Range(0, StdOutMetricsParser.MaxLines * 2).Select(i => $"loss={i} loss={i}");

        var logs = StdOutMetricsParser.Parse(lines, ["loss"], [], T0);

        Assert.Equal(StdOutMetricsParser.MaxLogs, logs.Count);
    }

    [Fact]
    public void A_finished_job_becomes_Succeeded_MetricsUnavailable_or_Failed()
    {
        Assert.Equal(TrialState.Succeeded, TrialStates.FromFinishedJob(jobSucceeded: true, hasObjectiveValue: true));
        Assert.Equal(TrialState.MetricsUnavailable, TrialStates.FromFinishedJob(jobSucceeded: true, hasObjectiveValue: false));
        Assert.Equal(TrialState.Failed, TrialStates.FromFinishedJob(jobSucceeded: false, hasObjectiveValue: true));
    }
}
