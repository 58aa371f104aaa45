using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry explain ID</c>: why the job is where it is.</summary>
public static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var command = new Command("explain", "Why is my job still queued?") { id };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var explain = await client.ExplainAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLineInterpolated($"{explain.Summary}");
            if (explain.Clusters.Count > 0)
            {
                var table = new Table().Border(TableBorder.Simple).AddColumns("CLUSTER", "FITS", "WHY");
                foreach (var cluster in explain.Clusters)
                {
                    table.AddRow(Markup.Escape(cluster.Name), cluster.Fits ? "[green]yes[/]" : "[red]no[/]", Markup.Escape(cluster.Reason));
                }
                context.Console.Write(table);
            }
            return 0;
        }));
        return command;
    }
}
