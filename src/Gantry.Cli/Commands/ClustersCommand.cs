using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry clusters</c> lists them; <c>cordon</c> and <c>uncordon</c> are here, and each other
/// subcommand (import, add, label, remove, test, share) has its own file.
/// </summary>
public static class ClustersCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("clusters", "List clusters; import, add, label, test, share, cordon, uncordon or remove one; list one's Trainer runtimes.");
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var clusters = await client.ClustersAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Simple).AddColumns("NAME", "TYPE", "HEALTHY", "CORDONED", "CAPACITY", "FREE", "KINDS");
            foreach (var c in clusters.Items)
            {
                table.AddRow(
                    Markup.Escape(c.Name), c.Type, c.Healthy ? "[green]yes[/]" : "[red]no[/]", c.Cordoned ? "[yellow]yes[/]" : "no",
                    $"cpu {c.Capacity.Cpu}, memory {Bytes.Format(c.Capacity.MemoryBytes)}, gpu {c.Capacity.Gpu}",
                    $"cpu {c.Free.Cpu}, memory {Bytes.Format(c.Free.MemoryBytes)}, gpu {c.Free.Gpu}",
                    string.Join(", ", c.Kinds));
            }
            context.Console.Write(table);
            return 0;
        }));
        command.Subcommands.Add(ClustersImportCommand.Create(context));
        command.Subcommands.Add(ClustersAddCommand.Create(context));
        command.Subcommands.Add(ClustersLabelCommand.Create(context));
        command.Subcommands.Add(ClustersRemoveCommand.Create(context));
        command.Subcommands.Add(ClustersTestCommand.Create(context));
        command.Subcommands.Add(ClustersRuntimesCommand.Create(context));
        command.Subcommands.Add(ClustersShareCommand.Create(context));
        command.Subcommands.Add(Cordon(context, "cordon", true, "Stop placing new jobs on the cluster."));
        command.Subcommands.Add(Cordon(context, "uncordon", false, "Place jobs on the cluster again."));
        return command;
    }

    private static Command Cordon(CliContext context, string verb, bool cordon, string description)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var command = new Command(verb, description) { name };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var cluster = await client.CordonAsync(parse.GetValue(name)!, cordon, cancellationToken);
            context.Console.MarkupLineInterpolated($"{cluster.Name}: {(cluster.Cordoned ? "cordoned" : "uncordoned")}");
            return 0;
        }));
        return command;
    }
}
