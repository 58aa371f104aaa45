using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry tokens list [--user NAME]</c>: ids and dates, never secrets; <c>*</c> marks the token in use.</summary>
public static class TokensListCommand
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Whose tokens (admins); yours when left out." };
        var command = new Command("list", "List tokens: id, description, created, expires, last used.") { user };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var tokens = await client.TokensAsync(parse.GetValue(user), cancellationToken);
            if (tokens.Items.Count == 0)
            {
                context.Console.MarkupLine("No tokens.");
                return 0;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "USER", "DESCRIPTION", "CREATED", "EXPIRES", "LAST USED");
            foreach (var t in tokens.Items)
            {
                table.AddRow(
                    Markup.Escape(t.Id + (t.Current ? " *" : "")), Markup.Escape(t.User), Markup.Escape(t.Description), Time(t.CreatedAt),
                    t.Expired ? $"[red]expired {Time(t.ExpiresAt)}[/]" : t.ExpiresAt is null ? "never" : Time(t.ExpiresAt),
                    t.LastUsedAt is null ? "-" : Time(t.LastUsedAt));
            }
            context.Console.Write(table);
            return 0;
        }));
        return command;
    }

    private static string Time(DateTimeOffset? at) => at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) : "";
}
