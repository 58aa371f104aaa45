using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry tokens revoke ID</c>: the token stops working at once.</summary>
public static class TokensRevokeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The token's id (tok_..., from `gantry tokens list`)." };
        var command = new Command("revoke", "Revoke a token by id; it stops working at once.") { id };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            await client.RevokeTokenAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLineInterpolated($"revoked {parse.GetValue(id)}");
            return 0;
        }));
        return command;
    }
}
