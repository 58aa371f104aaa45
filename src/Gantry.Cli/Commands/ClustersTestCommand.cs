using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry clusters test NAME</c> (admin): a table of what Gantry checked there; exits 1 when something is missing.</summary>
public static class ClustersTestCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var command = new Command("test", "Reach a cluster and check its version, operators and Gantry's rights there.") { name };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var result = await client.TestClusterAsync(parse.GetValue(name)!, cancellationToken);
            var table = new Table().Border(TableBorder.Simple).AddColumns("CHECK", "RESULT", "MESSAGE");
            foreach (var check in result.Checks)
            {
                table.AddRow(Markup.Escape(check.Check), check.Ok ? "[green]ok[/]" : "[red]missing[/]", Markup.Escape(check.Message));
            }
            context.Console.Write(table);
            var failing = result.Checks.Count(c => !c.Ok);
            context.Console.MarkupLineInterpolated(
                $"{result.Cluster}: {(result.Reachable ? $"reachable, {result.Version}" : "not reachable")}; {(failing == 0 ? "every check passed" : $"{failing} check(s) missing")}");
            return failing == 0 ? 0 : 1;
        }));
        return command;
    }
}
