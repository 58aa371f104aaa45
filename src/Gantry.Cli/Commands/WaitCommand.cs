using System.CommandLine;
using System.Diagnostics;
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
        var clock = Stopwatch.StartNew();
        var last = job;
        if (context.Console.Profile.Capabilities.Interactive)
        {
            await context.Console.Status().Spinner(Spinner.Known.Dots).StartAsync(Line(job, clock.Elapsed), async status =>
            {
                await foreach (var change in client.WatchAsync(job.Id, cancellationToken))
                {
                    last = change.Job with { State = change.Event.To, Message = change.Event.Reason };
                    status.Status(Line(last, clock.Elapsed));
                }
            });
            // The status line vanishes with the spinner: leave the outcome on screen.
            context.Console.MarkupLine(Line(last, clock.Elapsed));
        }
        else
        {
            await foreach (var change in client.WatchAsync(job.Id, cancellationToken))
            {
                last = change.Job with { State = change.Event.To, Message = change.Event.Reason };
                context.Console.MarkupLine(Line(last, clock.Elapsed));
            }
        }
        return ExitCode(last);
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
