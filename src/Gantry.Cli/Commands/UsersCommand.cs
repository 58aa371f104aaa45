using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry users create NAME [--admin]</c> (admin): the user and its first token.</summary>
public static class UsersCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The new user's name." };
        var admin = new Option<bool>("--admin") { Description = "Make the user an admin." };
        var create = new Command("create", "Create a user and print its first token.") { name, admin };
        create.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var issued = await client.CreateUserAsync(parse.GetValue(name)!, parse.GetValue(admin) ? "admin" : "user", cancellationToken);
            context.Console.MarkupLineInterpolated($"created {issued.User.Role} {issued.User.Name}; token (shown once):");
            context.Console.WriteLine(issued.Token);
            return 0;
        }));
        return new Command("users", "Manage users (admin).") { create };
    }
}
