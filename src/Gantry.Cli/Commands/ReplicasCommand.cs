using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry replicas</c> (admin): the gateway processes sharing the database and which one leads.</summary>
public static class ReplicasCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("replicas", "Show the gateway replicas, their last heartbeat, and which one leads (admin).");
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var list = await client.ReplicasAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "HOST", "VERSION", "STARTED", "LAST HEARTBEAT", "LEADER", "EPOCH");
            foreach (var r in list.Items)
            {
                table.AddRow(
                    Markup.Escape(r.Id), Markup.Escape(r.Host), Markup.Escape(r.Version), Time(r.Started), Time(r.LastHeartbeat),
                    r.Leader ? "[green]yes[/]" : "", r.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "");
            }
            context.Console.Write(table);
            if (list.LeaseHolder is null)
            {
                context.Console.MarkupLine("[yellow]No replica leads now: nothing is scheduled or dispatched until one takes the lease.[/]");
            }
            return 0;
        }));
        return command;
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
