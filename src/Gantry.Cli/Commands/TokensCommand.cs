using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry tokens create --user NAME</c> (admin).</summary>
public static class TokensCommand
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "Whose token.", Required = true };
        var create = new Command("create", "Issue a new token for a user and print it.") { user };
        create.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var issued = await client.CreateTokenAsync(parse.GetValue(user)!, cancellationToken);
            context.Console.MarkupLineInterpolated($"token for {issued.User.Name} (shown once):");
            context.Console.WriteLine(issued.Token);
            return 0;
        }));
        return new Command("tokens", "Manage tokens (admin).") { create };
    }
}
