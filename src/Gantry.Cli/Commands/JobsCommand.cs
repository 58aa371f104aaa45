using System.CommandLine;
using Spectre.Console;
using System.Text;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry jobs [--state S] [--queue Q] [--owner O] [--kind K] [--limit N]</c>: newest first.</summary>
public static class JobsCommand
{
    public static Command Create(CliContext context)
    {
        var state = new Option<string?>("--state") { Description = "Only these states (comma-separated), e.g. Queued,Running." };
        var queue = new Option<string?>("--queue") { Description = "Only this queue." };
        var owner = new Option<string?>("--owner") { Description = "Only this owner (admins)." };
        var kind = new Option<string?>("--kind") { Description = "Only this kind." };
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector, e.g. team=ml." };
        var limit = new Option<int>("--limit") { Description = "How many to show.", DefaultValueFactory = _ => 20 };
        var output = OutputOption.Create();
        var command = new Command("jobs", "List jobs.") { state, queue, owner, kind, selector, limit, output };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var query = new StringBuilder($"?limit={parse.GetValue(limit)}");
            foreach (var (name, value) in new[] { ("state", parse.GetValue(state)), ("queue", parse.GetValue(queue)), ("owner", parse.GetValue(owner)), ("kind", parse.GetValue(kind)), ("labelSelector", parse.GetValue(selector)) })
            {
                if (value is not null)
                {
                    query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
                }
            }
            using var client = context.Client();
            var page = await client.ListJobsAsync(query.ToString(), cancellationToken);
            if (parse.GetValue(output) == "json")
            {
                await OutputOption.WriteAsync(context, page, cancellationToken);
                return 0;
            }
            if (page.Items.Count == 0)
            {
                context.Console.MarkupLine("No jobs.");
                return 0;
            }
            context.Console.Write(JobTable.Of(page.Items));
            if (page.NextCursor is not null)
            {
                context.Console.MarkupLine("[grey](more jobs: raise --limit or narrow the filters)[/]");
            }
            return 0;
        }));
        return command;
    }
}
