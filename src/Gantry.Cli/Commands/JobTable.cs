using Gantry.Server.Api;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>How jobs look in a terminal.</summary>
internal static class JobTable
{
    public static Table Of(IEnumerable<JobDto> jobs)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "ID", "NAME", "KIND", "QUEUE", "OWNER", "STATE", "CLUSTER", "AGE", "MESSAGE" })
        {
            table.AddColumn(column);
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var job in jobs)
        {
            table.AddRow(
                Markup.Escape(job.Id), Markup.Escape(job.Name), job.Kind, Markup.Escape(job.Queue), Markup.Escape(job.Owner),
                State(job.State), Markup.Escape(job.Cluster ?? "-"), Age(now - job.CreatedAt), Markup.Escape(Shorten(job.Message, 60)));
        }
        return table;
    }

    public static string State(string state) => state switch
    {
        "Succeeded" => "[green]Succeeded[/]",
        "Failed" => "[red]Failed[/]",
        "Cancelled" or "Cancelling" => $"[yellow]{state}[/]",
        "Running" => "[blue]Running[/]",
        _ => state,
    };

    public static string Age(TimeSpan age) => age.TotalSeconds < 60 ? $"{(int)age.TotalSeconds}s"
        : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
        : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
        : $"{(int)age.TotalDays}d";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
