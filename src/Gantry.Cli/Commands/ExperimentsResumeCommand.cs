using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry experiments resume ID --max-trials N</c>: raises maxTrialCount (PATCH), which resumes
/// an experiment that ended with ExperimentMaxTrialsReached (Katib's rule) or gives a running one more trials.
/// </summary>
public static class ExperimentsResumeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var maxTrials = new Option<int>("--max-trials") { Description = "The new maxTrialCount, above the trials made so far.", Required = true };
        var command = new Command("resume", "Raise an experiment's trial budget: resume a finished one, or extend a running one.") { id, maxTrials };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var experiment = await client.SetMaxTrialsAsync(parse.GetValue(id)!, parse.GetValue(maxTrials), cancellationToken);
            var budget = experiment.MaxTrialCount?.ToString(CultureInfo.InvariantCulture) ?? "-";
            context.Console.MarkupLine($"{Markup.Escape(experiment.Id)}: {ExperimentTable.State(experiment.State)}, max {budget} trials ({Markup.Escape(ExperimentTable.Progress(experiment))})");
            return 0;
        }));
        return command;
    }
}
