using System.CommandLine;
using System.Runtime.InteropServices;
using Gantry.Cli.Client;
using Gantry.Cli.Sandbox;
using Gantry.Sandbox;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry sandbox --clusters N --kubeconfig FILE [--crds DIR]</c>: the simulated clusters of
/// <c>serve --sandbox-clusters</c> in a process of their own, so that several gateways (replicas
/// on one PostgreSQL, or a gateway restarted under test) share them and they outlive any gateway.
/// Runs until Ctrl-C or SIGTERM, then stops the clusters and exits 0.
/// </summary>
public static class SandboxCommand
{
    public static Command Create(CliContext context)
    {
        var count = new Option<int>("--clusters") { Description = "How many simulated clusters to start, 1 to 16 (the same shapes as serve --sandbox-clusters).", DefaultValueFactory = _ => 3 };
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where to write the kubeconfig: one context per cluster, named after it, with its admin token (mode 600).", Required = true };
        var crds = new Option<string?>("--crds") { Description = "A directory of the operators' CRD files for the clusters to validate against (default: $GANTRY_SANDBOX_CRDS, else built-in schemas that accept any spec)." };
        var command = new Command("sandbox", "Run simulated Kubernetes clusters on their own, for gateways to share (gantry clusters import).") { count, kubeconfig, crds };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var clusters = parse.GetValue(count);
            if (clusters is < 1 or > 16)
            {
                throw new CliException("--clusters must be between 1 and 16.", 2);
            }
            var crdDirectory = parse.GetValue(crds) ?? context.Environment("GANTRY_SANDBOX_CRDS");
            if (crdDirectory is not null && !Directory.Exists(crdDirectory))
            {
                throw new CliException($"--crds: the directory {Path.GetFullPath(crdDirectory)} does not exist.", 2);
            }
            var path = Path.GetFullPath(parse.GetValue(kubeconfig)!);
            if (Path.GetDirectoryName(path) is { } parent && !Directory.Exists(parent))
            {
                throw new CliException($"--kubeconfig: the directory {parent} does not exist.", 2);
            }
            using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            await using var sandbox = await SandboxClusters.StartAsync(clusters, crdDirectory, path, loggers, cancellationToken);
            PrintBanner(context.Console, sandbox);
            await WaitForSignalAsync(cancellationToken);
            context.Console.MarkupLine("Stopping the sandbox: its clusters and everything in them are gone.");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Until Ctrl-C or SIGTERM, the way out rather than an error: handled here so that the default
    /// (the runtime ends the process with 143) gives way to stopping the clusters and exiting 0.
    /// </summary>
    private static async Task WaitForSignalAsync(CancellationToken cancellationToken)
    {
        // Completed off the thread that delivers the signal: the clusters are stopped on the thread pool.
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.TrySetResult();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await using (cancellationToken.Register(() => stop.TrySetResult()))
        {
            await stop.Task;
        }
    }

    private static void PrintBanner(IAnsiConsole console, SandboxClusters sandbox)
    {
        var file = sandbox.KubeconfigPath;
        console.MarkupLineInterpolated($"[green]Sandbox running: {sandbox.Clusters.Count} simulated clusters[/]");
        foreach (var cluster in sandbox.Clusters)
        {
            console.MarkupLineInterpolated($"  {cluster.Name,-14} {cluster.Server}   {string.Join(' ', cluster.Labels.Select(l => $"{l.Key}={l.Value}"))}");
        }
        console.MarkupLineInterpolated($"  kubeconfig:  {file}   (one context per cluster, admin tokens, mode 600)");
        console.MarkupLineInterpolated($"  import:      gantry clusters import {file}   (every context, on each gateway that shares them)");
        // With their labels, so label-based routing and the gateway's view of them as sandbox clusters match serve --sandbox-clusters.
        foreach (var cluster in sandbox.Clusters)
        {
            console.MarkupLineInterpolated($"               gantry clusters import {file} --context {cluster.Name} {string.Join(' ', cluster.Labels.Select(l => $"-l {l.Key}={l.Value}"))}");
        }
        console.MarkupLineInterpolated($"  kubectl:     kubectl --kubeconfig {file} --context {sandbox.Clusters[0].Name} get sparkapplications,pytorchjobs,jaxjobs,pods -A");
        console.MarkupLineInterpolated($"  creations:   kubectl --kubeconfig {file} --context {sandbox.Clusters[0].Name} get --raw {SandboxCluster.CreationsPath}   (custom resources ever created per gantry.io/job-id)");
        console.MarkupLine("  The clusters live in this process's memory: stopping it ends them and every job on them.");
        console.MarkupLine("Press Ctrl-C to stop.");
    }
}
