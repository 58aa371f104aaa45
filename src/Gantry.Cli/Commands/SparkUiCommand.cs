using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry spark-ui ID</c>: a signed, short-lived link to a SparkApplication's UI on the gateway's
/// UI origin, to open in a browser (it carries no token; docs/security.md).
/// </summary>
public static class SparkUiCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The SparkApplication job's id." };
        var command = new Command("spark-ui", "Print a signed link that opens the job's Spark UI in a browser (good for a few minutes).") { id };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var link = await client.SparkUiLinkAsync(parse.GetValue(id)!, cancellationToken);
            // The bare URL on its own line, never wrapped, for a terminal's click or a script's $(...).
            await context.StandardOutput.WriteAsync(System.Text.Encoding.UTF8.GetBytes(link.Url + "\n"), cancellationToken);
            await context.StandardOutput.FlushAsync(cancellationToken);
            context.Console.MarkupLineInterpolated($"[grey]open it before {link.ExpiresAt:u}; it sets a cookie for this job's UI only[/]");
            return 0;
        }));
        return command;
    }
}
