using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry clusters runtimes NAME</c>: the Kubeflow Trainer runtimes a TrainJob may name on that cluster.</summary>
public static class ClustersRuntimesCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name (local: its built-in runtimes)." };
        var output = OutputOption.Create();
        var command = new Command("runtimes", "List the ClusterTrainingRuntimes and TrainingRuntimes a cluster has.") { name, output };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var list = await client.RuntimesAsync(parse.GetValue(name)!, cancellationToken);
            if (parse.GetValue(output) is "json")
            {
                await OutputOption.WriteAsync(context, list, cancellationToken);
                return 0;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("NAME", "KIND", "FRAMEWORK", "POLICY", "NODES", "STEPS", "IMAGE");
            foreach (var runtime in list.Items)
            {
                var kind = runtime.Namespace is null ? runtime.Kind : $"{runtime.Kind} ({runtime.Namespace})";
                table.AddRow(Markup.Escape(runtime.Name), Markup.Escape(kind), Markup.Escape(runtime.Framework ?? "-"), runtime.Policy,
                    runtime.NumNodes.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", runtime.Steps)), Markup.Escape(runtime.Image ?? "-"));
            }
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated(
                $"{list.Cluster}: {list.Items.Count} runtime(s){(list.TrainerApi is { } api ? $", Trainer API {api}" : "")}");
            return 0;
        }));
        return command;
    }
}
