using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry cancel ID</c>.</summary>
public static class CancelCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var command = new Command("cancel", "Cancel a job (a finished job stays as it is).") { id };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var job = await client.CancelAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLine($"{job.Id}: {JobTable.State(job.State)}");
            return 0;
        }));
        return command;
    }
}
