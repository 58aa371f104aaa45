using System.CommandLine;
using System.Text.RegularExpressions;
using Gantry.Cli.Client;
using Gantry.Server.Api;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// Following a job to its end: a live status line on a terminal, one line per change
/// otherwise, and an exit code that tells the outcome (0 succeeded; the job's own exit code
/// when it failed with one, else 1; 130 cancelled).
/// </summary>
public static partial class WaitCommand
{
    [GeneratedRegex(@"exit code (\d+)")]
    private static partial Regex ExitCodePattern();

    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The job's id." };
        var command = new Command("wait", "Follow a job until it ends; exit with its status.") { id };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var job = await client.GetJobAsync(parse.GetValue(id)!, cancellationToken);
            return await FollowAsync(context, client, job, cancellationToken);
        }));
        return command;
    }

    public static async Task<int> FollowAsync(CliContext context, GantryClient client, JobDto job, CancellationToken cancellationToken)
    {
        // Elapsed counts from the job's creation, not from when this wait began (as kubectl's AGE:
        // events carry the server's time, the spinner between them the local clock).
        TimeSpan Elapsed(JobDto j, DateTimeOffset? at = null) => Since(j, at ?? DateTimeOffset.UtcNow);
        var last = job;
        if (context.Console.Profile.Capabilities.Interactive)
        {
            await context.Console.Status().Spinner(Spinner.Known.Dots).StartAsync(Line(job, Elapsed(job)), async status =>
            {
                await foreach (var change in client.WatchAsync(job.Id, cancellationToken))
                {
                    last = change.Job with { State = change.Event.To, Message = change.Event.Reason };
                    status.Status(Line(last, Elapsed(last, change.Event.At)));
                }
            });
            // The status line vanishes with the spinner: leave the outcome on screen.
            context.Console.MarkupLine(Line(last, Elapsed(last)));
        }
        else
        {
            await foreach (var change in client.WatchAsync(job.Id, cancellationToken))
            {
                last = change.Job with { State = change.Event.To, Message = change.Event.Reason };
                context.Console.MarkupLine(Line(last, Elapsed(last, change.Event.At)));
            }
        }
        return ExitCode(last);
    }

    /// <summary>From the job's creation to <paramref name="at"/>, or to its end once it has one.</summary>
    internal static TimeSpan Since(JobDto job, DateTimeOffset at)
    {
        var elapsed = (job.FinishedAt ?? at) - job.CreatedAt;
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }

    internal static int ExitCode(JobDto job) => job.State switch
    {
        "Succeeded" => 0,
        "Cancelled" => 130,
        "Failed" when ExitCodePattern().Match(job.Message) is { Success: true } m
            && int.TryParse(m.Groups[1].Value, out var code) && code is > 0 and < 256 => code,
        _ => 1,
    };

    private static string Line(JobDto job, TimeSpan elapsed) =>
        $"{Markup.Escape(job.Id)}  {JobTable.State(job.State)}  cluster {Markup.Escape(job.Cluster ?? "-")}  {elapsed:hh\\:mm\\:ss}  {Markup.Escape(job.Message)}";
}
