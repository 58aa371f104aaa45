using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry experiments cancel ID</c>: ends it (Failed, ExperimentCancelled) and cancels its running trials' jobs.</summary>
public static class ExperimentsCancelCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The experiment's id." };
        var command = new Command("cancel", "Cancel an unfinished experiment and its running trials.") { id };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var experiment = await client.CancelExperimentAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLine($"{Markup.Escape(experiment.Id)}: {ExperimentTable.State(experiment.State)}{Markup.Escape(experiment.Reason is null ? "" : $" ({experiment.Reason})")}");
            return 0;
        }));
        return command;
    }
}
