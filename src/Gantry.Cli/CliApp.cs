using System.CommandLine;
using Gantry.Cli.Client;
using Gantry.Cli.Commands;
using Spectre.Console;

namespace Gantry.Cli;

/// <summary>The command tree. Each command lives in its own file under Commands/.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Gantry: a batch gateway for Spark and machine-learning jobs.");
        foreach (var command in new[]
        {
            ServeCommand.Create(context),
            SandboxCommand.Create(context),
            SubmitCommand.Create(context),
            JobsCommand.Create(context),
            DescribeCommand.Create(context),
            LogsCommand.Create(context),
            CancelCommand.Create(context),
            SparkUiCommand.Create(context),
            ExplainCommand.Create(context),
            QueuesCommand.Create(context),
            ClustersCommand.Create(context),
            UsersCommand.Create(context),
            TokensCommand.Create(context),
            AuditCommand.Create(context),
            ReplicasCommand.Create(context),
            WaitCommand.Create(context),
            ExperimentsCommand.Create(context),
            LoginCommand.Create(context),
        })
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Build(context).Parse(args).InvokeAsync(new InvocationConfiguration(), cancellationToken);
        }
        catch (CliException ex)
        {
            context.Console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ex.ExitCode;
        }
    }

    /// <summary>Wraps a command body so that user-facing errors print cleanly instead of as stack traces.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Handle(CliContext context, Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken);
            }
            catch (CliException ex)
            {
                context.Console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
        };
}
