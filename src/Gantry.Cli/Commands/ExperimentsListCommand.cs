using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry experiments list [--state S] [--all] [--limit N]</c>: newest first; like <c>docker ps</c>,
/// finished experiments are shown only with <c>--all</c> (or when <c>--state</c> asks for them).
/// </summary>
public static class ExperimentsListCommand
{
    public static Command Create(CliContext context)
    {
        var state = new Option<string?>("--state") { Description = "Only this state: Created, Running, Restarting, Succeeded or Failed." };
        var all = new Option<bool>("--all", "-a") { Description = "Finished experiments too (Succeeded, Failed)." };
        var limit = new Option<int>("--limit") { Description = "How many of the newest to read.", DefaultValueFactory = _ => 100 };
        var output = OutputOption.Create();
        var command = new Command("list", "List experiments: unfinished ones, or all with --all.") { state, all, limit, output };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var query = $"?limit={parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}";
            if (parse.GetValue(state) is { } wanted)
            {
                query += "&state=" + Uri.EscapeDataString(wanted);
            }
            using var client = context.Client();
            var page = await client.ListExperimentsAsync(query, cancellationToken);
            var showFinished = parse.GetValue(all) || parse.GetValue(state) is not null;
            var shown = page.Items.Where(e => showFinished || !e.Finished).ToList();
            if (parse.GetValue(output) == "json")
            {
                await OutputOption.WriteAsync(context, new { items = shown, page.NextCursor }, cancellationToken);
                return 0;
            }
            var hidden = page.Items.Count - shown.Count;
            if (shown.Count == 0)
            {
                context.Console.MarkupLine(hidden > 0 ? $"No unfinished experiments ({hidden} finished: --all shows them)." : "No experiments.");
                return 0;
            }
            context.Console.Write(ExperimentTable.Of(shown));
            if (hidden > 0)
            {
                context.Console.MarkupLine($"[grey]({hidden} finished not shown: --all shows them)[/]");
            }
            if (page.NextCursor is not null)
            {
                context.Console.MarkupLine("[grey](more experiments: raise --limit or pick a --state)[/]");
            }
            return 0;
        }));
        return command;
    }
}
