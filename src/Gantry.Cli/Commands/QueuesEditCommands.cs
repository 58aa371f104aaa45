using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry queues create|set|delete NAME</c> (admin): define, change or remove a queue.</summary>
public static class QueuesEditCommands
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The queue's name." };
        var arguments = new QueueArguments();
        var command = new Command("create", "Create a queue (admin); unset options take their defaults.") { name };
        arguments.AddTo(command);
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var queue = await client.CreateQueueAsync(arguments.Body(parse, parse.GetValue(name)!, null), cancellationToken);
            context.Console.MarkupLineInterpolated($"created queue [bold]{queue.Name}[/] (weight {queue.Weight}, priority {queue.Priority}, policy {queue.Policy})");
            return 0;
        }));
        return command;
    }

    public static Command Set(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The queue's name." };
        var arguments = new QueueArguments();
        var command = new Command("set", "Change a queue's settings (admin); what is not given stays as it is.") { name };
        arguments.AddTo(command);
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            // PUT replaces the whole definition: start from what the queue holds now.
            var existing = await client.QueueAsync(parse.GetValue(name)!, cancellationToken);
            var queue = await client.UpdateQueueAsync(existing.Name, arguments.Body(parse, existing.Name, existing), cancellationToken);
            context.Console.MarkupLineInterpolated($"updated queue [bold]{queue.Name}[/] (weight {queue.Weight}, priority {queue.Priority}, policy {queue.Policy})");
            return 0;
        }));
        return command;
    }

    public static Command Delete(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The queue's name." };
        var command = new Command("delete", "Delete a queue (admin); the default queue stays.") { name };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            await client.DeleteQueueAsync(parse.GetValue(name)!, cancellationToken);
            context.Console.MarkupLineInterpolated($"deleted queue {parse.GetValue(name)}");
            return 0;
        }));
        return command;
    }
}
