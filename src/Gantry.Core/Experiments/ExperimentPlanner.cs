using Gantry.Core.Tuning;
using Gantry.Core.Tuning.EarlyStopping;
using Gantry.Core.Tuning.Progress;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Experiments;

/// <summary>
/// One pass of the experiment controller as a pure function of a snapshot: refresh each trial
/// from its job and metrics, stop running trials that median stopping condemns, decide the
/// experiment's progress in Katib's order, and ask the algorithm for as many new assignments as
/// there are free slots. The suggestion's seed comes from the experiment and its trial count, so
/// a controller restarted between the decision and the write asks the same question again.
/// </summary>
public static class ExperimentPlanner
{
    public static ExperimentPlan Plan(Experiment spec, ExperimentRun run, IReadOnlyList<TrialSnapshot> snapshots, DateTimeOffset now)
    {
        var trials = snapshots.Select(s => TrialRefresh.Refresh(spec.Objective, s, now)).ToList();
        var cancel = new List<string>();
        if (spec.EarlyStopping is { } stopping && !run.IsFinished)
        {
            EarlyStop(spec, stopping, trials, cancel, now);
        }
        var changed = trials.Where((t, i) => !Same(t, snapshots[i].Trial)).ToList();
        var records = trials.Select(t => t.ToRecord()).ToList();
        var decision = run.IsFinished
            ? new ProgressDecision(run.State, run.Reason, run.Message, 0, true, TrialCounts.From(records.Select(r => r.State)), OptimalTrial.Find(spec.Objective, records))
            : ExperimentProgress.Decide(spec, records, run.Exhausted);
        var exhausted = run.Exhausted;
        var created = new List<TrialRun>();
        if (decision.TrialsToCreate > 0)
        {
            var seed = SuggestionSeed.Derive(spec.Algorithm, run.Id, trials.Count);
            var suggestion = SuggestionAlgorithms.Suggest(spec, records, decision.TrialsToCreate, seed);
            var names = new Random(seed);
            var taken = trials.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var assignments in suggestion.Assignments)
            {
                var name = TrialNames.Next(run.Name, names);
                while (!taken.Add(name))
                {
                    name = TrialNames.Next(run.Name, names);
                }
                created.Add(new TrialRun
                {
                    ExperimentId = run.Id,
                    Index = trials.Count + created.Count,
                    Name = name,
                    Assignments = assignments,
                    CreatedAt = now,
                    Message = "waiting for its job to be submitted",
                });
            }
            if (suggestion.Exhausted)
            {
                exhausted = true;
                if (created.Count == 0)
                {
                    decision = ExperimentProgress.Decide(spec, records, suggestionsExhausted: true);
                }
            }
        }
        if (decision.StopActiveTrials)
        {
            cancel.AddRange(trials.Where(t => t.State.IsActive() && t.JobId is not null).Select(t => t.JobId!));
            // A trial recorded but never submitted (the experiment ended in between) will not run.
            for (var i = 0; i < trials.Count; i++)
            {
                if (trials[i].State.IsActive() && trials[i].JobId is null)
                {
                    trials[i] = trials[i] with { State = TrialState.Killed, FinishedAt = now, Message = "the experiment ended before the trial's job was submitted" };
                    changed.Add(trials[i]);
                }
            }
        }
        var allRecords = records.Concat(created.Select(t => t.ToRecord())).ToList();
        var counts = TrialCounts.From(allRecords.Select(r => r.State));
        var summary = new ExperimentSummary(counts, Best(decision.OptimalTrial, trials));
        var experiment = run.IsFinished
            ? run with { Summary = summary }
            : run with
            {
                State = decision.State,
                Reason = decision.Reason,
                Message = decision.Message + WithoutMetrics(spec, decision, counts),
                Exhausted = exhausted,
                Summary = summary,
                StartedAt = run.StartedAt ?? (counts.Total > 0 ? now : null),
                FinishedAt = decision.IsFinished ? now : null,
            };
        return new ExperimentPlan(changed, cancel.Distinct(StringComparer.Ordinal).ToList(), created, decision, experiment);
    }

    /// <summary>
    /// Katib's message, and when trials ended without the objective metric Gantry says so: an
    /// experiment whose trials never report (a collector Gantry does not run, a template that does
    /// not print it) should not look like one that merely failed.
    /// </summary>
    private static string WithoutMetrics(Experiment spec, ProgressDecision decision, TrialCounts counts) =>
        decision.IsFinished && counts.MetricsUnavailable > 0
            ? $" ({counts.MetricsUnavailable} of {counts.Total} trials ended without reporting {spec.Objective.MetricName}; collected are pushed metrics{(spec.MetricsCollector.Kind == CollectorKind.StdOut ? " and the trial's log (StdOut)" : $", not the {spec.MetricsCollector.Kind} collector")})"
            : "";

    /// <summary>Median stopping against the rule the succeeded trials make now; a stopped trial is EarlyStopped at once and its job cancelled.</summary>
    private static void EarlyStop(Experiment spec, MedianStopSettings settings, List<TrialRun> trials, List<string> cancel, DateTimeOffset now)
    {
        var rule = MedianStop.Rule(settings, spec.Objective,
            trials.Where(t => t.State == TrialState.Succeeded).Select(t => t.ObjectiveHead));
        for (var i = 0; i < trials.Count; i++)
        {
            var trial = trials[i];
            if (trial.State != TrialState.Running || trial.JobId is null)
            {
                continue;
            }
            var decision = MedianStop.Decide(rule, trial.ObjectiveHead);
            if (decision.Stop)
            {
                trials[i] = trial with { State = TrialState.EarlyStopped, FinishedAt = now, Message = "stopped early by medianstop: " + decision.Reason };
                cancel.Add(trial.JobId);
            }
        }
    }

    /// <summary>The decision's optimal trial (the planner's trials, new ones aside, so none is missing here) with its metrics.</summary>
    private static BestTrial? Best(TrialRecord? best, IReadOnlyList<TrialRun> trials)
    {
        if (best is null)
        {
            return null;
        }
        var trial = trials.First(t => t.Name == best.Name);
        return new BestTrial(trial.Name, trial.Assignments, trial.Objective!.Value, trial.Metrics);
    }

    private static bool Same(TrialRun a, TrialRun b) =>
        a.State == b.State && a.Objective == b.Objective && a.Message == b.Message
        && a.Metrics.SequenceEqual(b.Metrics) && a.ObjectiveHead.SequenceEqual(b.ObjectiveHead);
}
