using System.Globalization;
using Gantry.Cli.Client;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>How experiments and their trials look in a terminal.</summary>
internal static class ExperimentTable
{
    public static Table Of(IEnumerable<ExperimentView> experiments)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "NAME", "OWNER", "QUEUE", "STATE", "ALGORITHM", "TRIALS", "BEST", "AGE");
        var now = DateTimeOffset.UtcNow;
        foreach (var e in experiments)
        {
            table.AddRow(
                Markup.Escape(e.Id), Markup.Escape(e.Name), Markup.Escape(e.Owner), Markup.Escape(e.Queue), State(e.State),
                Markup.Escape(e.Algorithm), Markup.Escape(Progress(e)), Markup.Escape(Best(e, shortened: true) ?? "-"), JobTable.Age(now - e.CreatedAt));
        }
        return table;
    }

    /// <summary>The trials table: one column per parameter, in the experiment's order.</summary>
    public static Table Trials(ExperimentView experiment, IEnumerable<TrialView> trials)
    {
        var names = experiment.Parameters.Select(p => p.Name).ToList();
        var table = new Table().Border(TableBorder.Simple).AddColumn("NAME").AddColumn("STATE");
        foreach (var name in names)
        {
            table.AddColumn(Markup.Escape(name));
        }
        table.AddColumn(Markup.Escape(experiment.Objective.MetricName)).AddColumn("JOB");
        var best = experiment.CurrentOptimalTrial?.BestTrialName;
        foreach (var trial in trials)
        {
            var cells = new List<string> { Markup.Escape(trial.Name) + (trial.Name == best ? " [green]*[/]" : ""), State(trial.State) };
            cells.AddRange(names.Select(n => Markup.Escape(trial.ParameterAssignments.FirstOrDefault(a => a.Name == n)?.Value ?? "-")));
            cells.Add(trial.Objective is { } value ? value.ToString("G6", CultureInfo.InvariantCulture) : "-");
            cells.Add(Markup.Escape(trial.JobId ?? "-"));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    /// <summary>"3/12 done, 2 running": completed trials of the budget.</summary>
    public static string Progress(ExperimentView e)
    {
        var t = e.Trials;
        var done = t.Succeeded + t.Failed + t.Killed + t.EarlyStopped + t.MetricsUnavailable;
        var budget = e.MaxTrialCount?.ToString(CultureInfo.InvariantCulture) ?? "?";
        return t.Running > 0 ? $"{done}/{budget} done, {t.Running} running" : $"{done}/{budget} done";
    }

    /// <summary>The best trial's objective under the metric's strategy (as the experiment's objective type reads it), or null.</summary>
    public static string? Best(ExperimentView e, bool shortened = false) =>
        BestValue(e) is not { } value ? null
        : shortened && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? $"{e.Objective.MetricName}={number.ToString("G6", CultureInfo.InvariantCulture)}"
            : $"{e.Objective.MetricName}={value}";

    public static string? BestValue(ExperimentView e)
    {
        var metric = e.CurrentOptimalTrial?.Observation?.Metrics.FirstOrDefault(m => m.Name == e.Objective.MetricName);
        if (metric is null)
        {
            return null;
        }
        var strategy = Strategy(e) ?? (e.Objective.Type == "minimize" ? "min" : "max");
        var value = strategy switch { "min" => metric.Min, "max" => metric.Max, _ => metric.Latest };
        // As the gateway does: min or max falls back to latest when it has no number.
        return value is null or "unavailable" ? metric.Latest : value;
    }

    /// <summary>The objective metric's strategy from the manifest's metricStrategies (only GET by id carries the manifest).</summary>
    private static string? Strategy(ExperimentView e) =>
        e.Manifest?["spec"]?["objective"]?["metricStrategies"] is System.Text.Json.Nodes.JsonArray strategies
            ? strategies.OfType<System.Text.Json.Nodes.JsonObject>()
                .FirstOrDefault(s => s["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)s["name"] == e.Objective.MetricName)?["value"]?.ToString()
            : null;

    public static string Assignments(IEnumerable<ExperimentView.AssignmentView> assignments) =>
        string.Join(", ", assignments.Select(a => $"{a.Name}={a.Value}"));

    public static string State(string state) => state switch
    {
        "Succeeded" => "[green]Succeeded[/]",
        "Failed" or "MetricsUnavailable" => $"[red]{state}[/]",
        "Killed" or "EarlyStopped" or "Restarting" => $"[yellow]{state}[/]",
        "Running" => "[blue]Running[/]",
        _ => Markup.Escape(state),
    };
}
