using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry clusters label NAME k=v [k2-]...</c> (admin): set or remove labels; the others stay.</summary>
public static class ClustersLabelCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var labels = new Argument<string[]>("labels") { Description = "k=v to set a label, k- to remove it.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("label", "Set or remove labels of a cluster.") { name, labels };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var changes = LabelArguments.Parse(parse.GetValue(labels)!, allowRemoval: true);
            using var client = context.Client();
            var cluster = await client.LabelClusterAsync(parse.GetValue(name)!, changes, cancellationToken);
            var now = string.Join(", ", cluster.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
            context.Console.MarkupLineInterpolated($"{cluster.Name}: {(now.Length == 0 ? "no labels" : now)}");
            return 0;
        }));
        return command;
    }
}
