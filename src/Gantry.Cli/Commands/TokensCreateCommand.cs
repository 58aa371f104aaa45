using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry tokens create [--user NAME] [--expires-in 30d] [--description TEXT]</c>: the secret is printed last, once.</summary>
public static class TokensCreateCommand
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Whose token (admins); yours when left out." };
        var expiresIn = new Option<string?>("--expires-in") { Description = "How long it lives: 30m, 12h, 30d. Left out: the server's default (never, unless configured)." };
        var description = new Option<string?>("--description") { Description = "What it is for, shown in `gantry tokens list`." };
        var command = new Command("create", "Issue a new token and print it (shown this once).") { user, expiresIn, description };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var issued = await client.IssueTokenAsync(parse.GetValue(user), parse.GetValue(expiresIn), parse.GetValue(description), cancellationToken);
            var expiry = issued.ExpiresAt is { } at ? $"expires {at:u}" : "never expires";
            context.Console.MarkupLineInterpolated($"token {issued.Id} for {issued.User.Name}, {expiry} (shown once):");
            // Last, alone on its line: scripts take the last line.
            context.Console.WriteLine(issued.Token);
            return 0;
        }));
        return command;
    }
}
