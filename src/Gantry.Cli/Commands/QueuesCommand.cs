using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry queues</c>: each queue's settings and what it holds now; create, set and delete are in QueuesEditCommands.</summary>
public static class QueuesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("queues", "List queues with their quotas and usage; create, set or delete one (admin).");
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var queues = await client.QueuesAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Simple).AddColumns("NAME", "WEIGHT", "PRIORITY", "QUOTA", "RUNNING", "QUEUED", "USING", "WHO");
            foreach (var q in queues.Items)
            {
                var quota = string.Join(", ", new[]
                {
                    q.Quota.Cpu is null ? null : $"cpu {q.Quota.Cpu}",
                    q.Quota.Memory is null ? null : $"memory {q.Quota.Memory}",
                    q.Quota.Gpu is null ? null : $"gpu {q.Quota.Gpu}",
                    q.Quota.RunningJobs is null ? null : $"{q.Quota.RunningJobs} jobs",
                }.Where(s => s is not null));
                table.AddRow(
                    Markup.Escape(q.Name), q.Weight.ToString(CultureInfo.InvariantCulture), q.Priority.ToString(CultureInfo.InvariantCulture),
                    quota.Length == 0 ? "unlimited" : Markup.Escape(quota),
                    q.Usage.RunningJobs.ToString(CultureInfo.InvariantCulture), q.Usage.QueuedJobs.ToString(CultureInfo.InvariantCulture),
                    $"cpu {q.Usage.Used.Cpu}, memory {Bytes.Format(q.Usage.Used.MemoryBytes)}, gpu {q.Usage.Used.Gpu}",
                    Markup.Escape(Who(q)));
            }
            context.Console.Write(table);
            return 0;
        }));
        command.Subcommands.Add(QueuesEditCommands.Create(context));
        command.Subcommands.Add(QueuesEditCommands.Set(context));
        command.Subcommands.Add(QueuesEditCommands.Delete(context));
        return command;
    }

    /// <summary>Who may submit: everyone, or the queue's allowed users and groups.</summary>
    private static string Who(Gantry.Server.Api.QueueDto q) =>
        q.AllowedUsers.Count == 0 && q.AllowedGroups.Count == 0
            ? "everyone"
            : string.Join("; ", new[]
            {
                q.AllowedUsers.Count > 0 ? "users " + string.Join(", ", q.AllowedUsers) : null,
                q.AllowedGroups.Count > 0 ? "groups " + string.Join(", ", q.AllowedGroups) : null,
            }.Where(s => s is not null));
}
