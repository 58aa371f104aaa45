using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry logs ID [-f] [--tail N] [--replica R]</c>.</summary>
public static class LogsCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming until the job ends." };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines." };
        var replica = new Option<string?>("--replica") { Description = "Another replica's log, e.g. worker-1." };
        var command = new Command("logs", "Print a job's log.") { id, follow, tail, replica };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            await client.CopyLogsAsync(parse.GetValue(id)!, parse.GetValue(follow), parse.GetValue(tail), parse.GetValue(replica), context.StandardOutput, cancellationToken);
            return 0;
        }));
        return command;
    }
}
