using System.CommandLine;
using System.Globalization;
using Gantry.Cli.Client;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry experiments describe ID</c>: the experiment, its objective, the best trial so far and every trial.</summary>
public static class ExperimentsDescribeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var output = OutputOption.Create();
        var command = new Command("describe", "Show an experiment: summary, objective, best trial and the trials table.") { id, output };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var experiment = await client.GetExperimentAsync(parse.GetValue(id)!, cancellationToken);
            var trials = await client.TrialsAsync(experiment.Id, cancellationToken);
            if (parse.GetValue(output) == "json")
            {
                await OutputOption.WriteAsync(context, new { experiment, trials = trials.Items }, cancellationToken);
                return 0;
            }
            context.Console.Write(Summary(experiment));
            context.Console.MarkupLine("\n[bold]Best trial[/]");
            if (experiment.CurrentOptimalTrial is { } best)
            {
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow("[bold]Name[/]", Markup.Escape(best.BestTrialName));
                grid.AddRow("[bold]Objective[/]", Markup.Escape(ExperimentTable.Best(experiment) ?? "-"));
                grid.AddRow("[bold]Parameters[/]", Markup.Escape(ExperimentTable.Assignments(best.ParameterAssignments)));
                grid.AddRow("[bold]Metrics[/]", Markup.Escape(string.Join("; ", (best.Observation?.Metrics ?? []).Select(m => $"{m.Name} min {m.Min}, max {m.Max}, latest {m.Latest}"))));
                context.Console.Write(grid);
            }
            else
            {
                context.Console.MarkupLine("none yet: no trial has reported the objective metric.");
            }
            context.Console.MarkupLine($"\n[bold]Trials[/] ({trials.Items.Count})");
            if (trials.Items.Count > 0)
            {
                context.Console.Write(ExperimentTable.Trials(experiment, trials.Items));
            }
            return 0;
        }));
        return command;
    }

    private static Grid Summary(ExperimentView e)
    {
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string key, string? value) => grid.AddRow($"[bold]{key}[/]", Markup.Escape(value ?? "-"));
        var o = e.Objective;
        var t = e.Trials;
        Row("ID", e.Id);
        Row("Name", e.Name);
        Row("Owner", e.Owner);
        Row("Queue", $"{e.Queue} (priority {e.Priority.ToString(CultureInfo.InvariantCulture)})");
        grid.AddRow("[bold]State[/]", ExperimentTable.State(e.State) + Markup.Escape(e.Reason is null ? "" : $" ({e.Reason})"));
        Row("Message", e.Message);
        Row("Objective", $"{o.Type} {o.MetricName}"
            + (o.Goal is { } goal ? $", goal {goal.ToString(CultureInfo.InvariantCulture)}" : "")
            + (o.AdditionalMetricNames is { Count: > 0 } more ? $"; also {string.Join(", ", more)}" : ""));
        Row("Algorithm", e.Algorithm);
        Row("Early stopping", e.EarlyStopping ?? "none");
        Row("Parameters", string.Join("; ", e.Parameters.Select(Describe)));
        Row("Budget", $"{e.ParallelTrialCount.ToString(CultureInfo.InvariantCulture)} at a time, "
            + (e.MaxTrialCount is { } max ? $"at most {max.ToString(CultureInfo.InvariantCulture)} trials" : "no trial limit")
            + (e.MaxFailedTrialCount is { } failed ? $", fails after {failed.ToString(CultureInfo.InvariantCulture)} failed" : ""));
        Row("Trials", $"{ExperimentTable.Progress(e)}: {t.Total} made, {t.Created} created, {t.Running} running, {t.Succeeded} succeeded, {t.Failed} failed, "
            + $"{t.Killed} killed, {t.EarlyStopped} early-stopped, {t.MetricsUnavailable} without metrics");
        Row("Labels", e.Labels is { Count: > 0 } labels ? string.Join(", ", labels.Select(kv => $"{kv.Key}={kv.Value}")) : null);
        Row("Created", e.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
        Row("Started", e.StartedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("Finished", e.FinishedAt?.ToString("u", CultureInfo.InvariantCulture));
        return grid;
    }

    /// <summary>"lr double [0.0001, 0.1] logUniform", "opt categorical {sgd, adam}".</summary>
    private static string Describe(ExperimentView.ParameterView p)
    {
        var space = p.List is { Count: > 0 } list ? "{" + string.Join(", ", list) + "}" : $"[{p.Min}, {p.Max}]";
        var step = p.Step is null ? "" : $" step {p.Step}";
        var distribution = p.Distribution is null or "uniform" ? "" : " " + p.Distribution;
        return $"{p.Name} {p.Type} {space}{step}{distribution}";
    }
}
