using System.CommandLine;
using System.Globalization;
using System.Text;
using Gantry.Core.Users;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry audit [--actor NAME] [--action ACTION] [--since 24h|TIME] [--limit N]</c> (admin): newest first.</summary>
public static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var actor = new Option<string?>("--actor") { Description = "Only this user's actions." };
        var action = new Option<string?>("--action") { Description = "Only this action (cluster.cordon), or every action on a resource (cluster)." };
        var since = new Option<string?>("--since") { Description = "Only since then: a time (2026-01-31T12:00:00Z) or an age (90m, 24h, 7d)." };
        var limit = new Option<int>("--limit") { Description = "How many to show.", DefaultValueFactory = _ => 50 };
        var command = new Command("audit", "Show the audit trail of admin actions (admin).") { actor, action, since, limit };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var query = new StringBuilder("?limit=" + parse.GetValue(limit).ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in new[] { ("actor", parse.GetValue(actor)), ("action", parse.GetValue(action)), ("since", Since(parse.GetValue(since))) })
            {
                if (value is not null)
                {
                    query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
                }
            }
            using var client = context.Client();
            var page = await client.AuditAsync(query.ToString(), cancellationToken);
            if (page.Items.Count == 0)
            {
                context.Console.MarkupLine("No audit entries.");
                return 0;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("WHEN", "ACTOR", "ACTION", "TARGET", "DETAIL");
            foreach (var e in page.Items)
            {
                table.AddRow(
                    e.At.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    Markup.Escape(e.Actor), Markup.Escape(e.Action), Markup.Escape(e.Target), Markup.Escape(e.Detail));
            }
            context.Console.Write(table);
            if (page.NextCursor is not null)
            {
                context.Console.MarkupLine("[grey](more entries: raise --limit or narrow the filters)[/]");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>An age such as 24h becomes the time that long ago; anything else goes to the server as a time, which says if it is not one.</summary>
    private static string? Since(string? text) =>
        text is not null && TokenLifetime.TryParse(text, out var age, out _)
            ? (DateTimeOffset.UtcNow - age).ToString("O", CultureInfo.InvariantCulture)
            : text;
}
