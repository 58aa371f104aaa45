using System.CommandLine;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry describe ID</c>: the job, its demand, message and every transition.</summary>
public static class DescribeCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var output = OutputOption.Create();
        var command = new Command("describe", "Show a job with its events.") { id, output };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var job = await client.GetJobAsync(parse.GetValue(id)!, cancellationToken);
            var events = await client.EventsAsync(job.Id, cancellationToken);
            if (parse.GetValue(output) == "json")
            {
                // The job as GET /jobs/{id} answers it (manifest included), with its events.
                await OutputOption.WriteAsync(context, new { job, events = events.Items }, cancellationToken);
                return 0;
            }
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string key, string? value) => grid.AddRow($"[bold]{key}[/]", Markup.Escape(value ?? "-"));
            Row("ID", job.Id);
            Row("Name", job.Name);
            Row("Kind", job.Kind);
            Row("Queue", job.Queue);
            Row("Owner", job.Owner);
            Row("Priority", job.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
            grid.AddRow("[bold]State[/]", JobTable.State(job.State));
            Row("Cluster", job.Cluster);
            // Where kubectl finds it: the manifest's own name is replaced by Gantry's.
            Row("Resource", job.Resource is { } r ? $"{r.Kind} {r.Namespace}/{r.Name} ({r.ApiVersion})" : null);
            Row("Message", job.Message);
            Row("Attempts", $"{job.Attempts} of {job.MaxAttempts}");
            Row("Demand", $"cpu {job.Demand.Cpu}, memory {Bytes.Format(job.Demand.MemoryBytes)}, gpu {job.Demand.Gpu} ({string.Join(", ", job.Demand.Pods.Select(p => $"{p.Count} x {p.Role}"))})");
            Row("Labels", job.Labels.Count == 0 ? null : string.Join(", ", job.Labels.Select(kv => $"{kv.Key}={kv.Value}")));
            Row("Created", job.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            Row("Started", job.StartedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            Row("Finished", job.FinishedAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            context.Console.Write(grid);
            var table = new Table().Border(TableBorder.Simple).AddColumns("TIME", "FROM", "TO", "REASON");
            foreach (var e in events.Items)
            {
                table.AddRow(e.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture), e.From ?? "-", JobTable.State(e.To), Markup.Escape(e.Reason));
            }
            context.Console.MarkupLine("\n[bold]Events[/]");
            context.Console.Write(table);
            return 0;
        }));
        return command;
    }
}
