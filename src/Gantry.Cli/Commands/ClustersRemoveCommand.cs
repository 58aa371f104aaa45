using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry clusters remove NAME</c> (admin): forget a cluster with no active jobs.</summary>
public static class ClustersRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var command = new Command("remove", "Forget a cluster and its shares (refused while jobs run there: cordon it instead).") { name };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            await client.RemoveClusterAsync(parse.GetValue(name)!, cancellationToken);
            context.Console.MarkupLineInterpolated($"removed cluster {parse.GetValue(name)}");
            return 0;
        }));
        return command;
    }
}
