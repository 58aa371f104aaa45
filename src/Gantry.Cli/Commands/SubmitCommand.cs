using System.CommandLine;
using System.Text.Json.Nodes;
using Gantry.Cli.Client;
using Gantry.Server.Api;
using Gantry.Core.Manifests;
using Gantry.Server.Manifests;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry submit -f FILE [--queue Q] [--priority N] [--wait]</c>: YAML or JSON, a bare manifest or the API's envelope.</summary>
public static class SubmitCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The job: a manifest (YAML or JSON) or {\"manifest\": ..., \"queue\": ...}.", Required = true };
        var queue = new Option<string?>("--queue", "-q") { Description = "The queue (default: the manifest's gantry.io/queue annotation, else 'default')." };
        var priority = new Option<int?>("--priority") { Description = "Priority within the queue." };
        var name = new Option<string?>("--name") { Description = "A name for the job." };
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the job until it ends; exit with its status." };
        var command = new Command("submit", "Submit a job.") { file, queue, priority, name, wait };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"{path.FullName} does not exist.");
            }
            var envelope = Envelope(await File.ReadAllTextAsync(path.FullName, cancellationToken), path.Name, parse.GetValue(queue), parse.GetValue(priority), parse.GetValue(name));
            using var client = context.Client();
            // One key per invocation: if the connection drops after the gateway stored the job, a retry cannot make two.
            var job = await client.SubmitAsync(envelope.ToJsonString(), "application/json", Guid.NewGuid().ToString("N"), cancellationToken);
            context.Console.MarkupLineInterpolated($"submitted job [bold]{job.Id}[/] ({job.Kind}, queue {job.Queue}): {job.State}");
            return parse.GetValue(wait) ? await WaitCommand.FollowAsync(context, client, job, cancellationToken) : 0;
        }));
        return command;
    }

    /// <summary>Reads the file (YAML or JSON) into the submission envelope, with the command line's overrides.</summary>
    internal static JsonObject Envelope(string text, string fileName, string? queue, int? priority, string? name)
    {
        JsonNode? node;
        try
        {
            node = YamlJson.Parse(text, DocumentLimits.Files);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or FormatException)
        {
            throw new CliException($"{fileName} is neither valid YAML nor JSON: {ex.Message}");
        }
        if (node is not JsonObject root)
        {
            throw new CliException($"{fileName} must hold an object: a manifest or {{\"manifest\": ..., \"queue\": ...}}.");
        }
        JsonObject envelope;
        if (root.ContainsKey("manifest"))
        {
            envelope = root;
        }
        else
        {
            var annotations = root["metadata"]?["annotations"] as JsonObject;
            envelope = new JsonObject { ["manifest"] = root };
            if (annotations?[SubmissionReader.QueueAnnotation] is JsonValue q)
            {
                envelope["queue"] = q.ToString();
            }
            if (annotations?[SubmissionReader.PriorityAnnotation] is JsonValue p && int.TryParse(p.ToString(), out var annotated))
            {
                envelope["priority"] = annotated;
            }
        }
        if (queue is not null)
        {
            envelope["queue"] = queue;
        }
        if (priority is not null)
        {
            envelope["priority"] = priority;
        }
        if (name is not null)
        {
            envelope["name"] = name;
        }
        return envelope;
    }
}
