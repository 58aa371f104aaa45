using System.CommandLine;
using System.Text.Json.Nodes;
using Gantry.Cli.Client;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry experiments submit -f FILE [--queue Q] [--priority N] [--label k=v]...</c>: a Katib
/// Experiment in YAML or JSON (or the API's envelope); queue, priority and labels go to its trials' jobs.
/// </summary>
public static class ExperimentsSubmitCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The Experiment (kubeflow.org/v1beta1), YAML or JSON, or {\"manifest\": ..., \"queue\": ...}.", Required = true };
        var queue = new Option<string?>("--queue", "-q") { Description = "The queue its trials run in (default: the envelope's, else 'default')." };
        var priority = new Option<int?>("--priority") { Description = "Its trials' priority within the queue." };
        var labels = new Option<string[]>("--label", "-l") { Description = "k=v, a label for the experiment and its trials' jobs (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("submit", "Submit an experiment.") { file, queue, priority, labels };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"{path.FullName} does not exist.");
            }
            var envelope = SubmitCommand.Envelope(await File.ReadAllTextAsync(path.FullName, cancellationToken), path.Name, parse.GetValue(queue), parse.GetValue(priority), name: null);
            var given = LabelArguments.Parse(parse.GetValue(labels) ?? [], allowRemoval: false);
            if (given.Count > 0)
            {
                var merged = envelope["labels"] as JsonObject ?? new JsonObject();
                foreach (var (key, value) in given)
                {
                    merged[key] = value;
                }
                envelope["labels"] = merged;
            }
            using var client = context.Client();
            // One key per invocation: a retry after a dropped connection cannot make two experiments.
            var experiment = await client.SubmitExperimentAsync(envelope.ToJsonString(), "application/json", Guid.NewGuid().ToString("N"), cancellationToken);
            context.Console.MarkupLineInterpolated(
                $"submitted experiment [bold]{experiment.Id}[/] ({experiment.Name}, {experiment.Algorithm}, queue {experiment.Queue}): {experiment.State}");
            return 0;
        }));
        return command;
    }
}
