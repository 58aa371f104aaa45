using System.CommandLine;
using Spectre.Console;
using Gantry.Cli.Client;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry login URL --token TOKEN</c>: checks the token and saves both to ~/.gantry/config.</summary>
public static class LoginCommand
{
    public static Command Create(CliContext context)
    {
        var url = new Argument<string>("url") { Description = "The gateway's URL, e.g. http://127.0.0.1:8080." };
        var token = new Option<string>("--token") { Description = "Your token.", Required = true };
        var command = new Command("login", "Save the gateway URL and your token for the CLI and the Python SDK.") { url, token };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var settings = new ClientSettings(parse.GetValue(url)!.TrimEnd('/'), parse.GetValue(token));
            using var client = GantryClient.Create(settings);
            await client.QueuesAsync(cancellationToken);
            ClientSettings.Save(context.Environment, settings);
            context.Console.MarkupLineInterpolated($"logged in to {settings.Url}; saved in {ClientSettings.ConfigPath(context.Environment)}");
            return 0;
        }));
        return command;
    }
}
