using System.CommandLine;
using Gantry.Cli.Client;
using Gantry.Cli.Sandbox;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Hosting;
using Gantry.Server.SparkUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry serve</c>: the gateway with the embedded defaults (SQLite in the data dir, the
/// local backend), or PostgreSQL with <c>--store postgres --connection-string ...</c>.
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "Where Gantry keeps its data (default: $GANTRY_DATA_DIR or ~/.gantry)." };
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default: http://127.0.0.1:8080)." };
        var uiUrls = new Option<string?>("--ui-urls") { Description = "Where to serve Spark UIs, an origin apart from the API and dashboard (default: the next port of --urls' first address; 'none' for no listener, with Gantry:SparkUi:Origin routed here by host name)." };
        var publicUrl = new Option<string?>("--public-url") { Description = "The gateway's URL as people and jobs reach it, handed to jobs as GANTRY_URL (default: $GANTRY_PUBLIC_URL, else the first of --urls; in Kubernetes, the Service's name)." };
        var store = new Option<string?>("--store") { Description = "sqlite (default) or postgres." };
        var connection = new Option<string?>("--connection-string") { Description = "PostgreSQL connection string (with --store postgres)." };
        var sandbox = new Option<int>("--sandbox-clusters") { Description = "Also start N simulated Kubernetes clusters in this process and register them; their kubeconfig goes to <data dir>/sandbox.kubeconfig." };
        var sandboxCrds = new Option<string?>("--sandbox-crds") { Description = "A directory of the operators' CRD files for the simulated clusters to validate against (default: $GANTRY_SANDBOX_CRDS, else built-in schemas that accept any spec)." };
        var command = new Command("serve", "Run the gateway.") { dataDir, urls, uiUrls, publicUrl, store, connection, sandbox, sandboxCrds };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var sandboxCount = parse.GetValue(sandbox);
            if (sandboxCount is < 0 or > 16)
            {
                throw new CliException("--sandbox-clusters must be between 0 and 16.", 2);
            }
            var env = context.Environment;
            var directory = Path.GetFullPath(parse.GetValue(dataDir) ?? env("GANTRY_DATA_DIR") ?? ClientSettings.GantryHome(env));
            var listen = parse.GetValue(urls) ?? env("GANTRY_URLS") ?? ClientSettings.DefaultUrl;
            var uiListen = parse.GetValue(uiUrls) ?? env("GANTRY_UI_URLS") ?? NextPort(listen);
            var settings = new Dictionary<string, string?>
            {
                ["urls"] = listen,
                ["Gantry:DataDir"] = directory,
                ["Gantry:PublicUrl"] = parse.GetValue(publicUrl) ?? env("GANTRY_PUBLIC_URL")
                    ?? listen.Split(';')[0].Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("*", "127.0.0.1", StringComparison.Ordinal),
            };
            if (!uiListen.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                settings["Gantry:SparkUi:Urls"] = uiListen;
            }
            if (parse.GetValue(store) is { } provider)
            {
                settings["Gantry:Storage:Provider"] = provider;
            }
            if (parse.GetValue(connection) is { } connectionString)
            {
                settings["Gantry:Storage:ConnectionString"] = connectionString;
            }
            await using var app = await BuildAsync(settings, cancellationToken);
            await using var simulated = sandboxCount > 0
                ? await SandboxClusters.StartAsync(sandboxCount, parse.GetValue(sandboxCrds) ?? env("GANTRY_SANDBOX_CRDS"), Path.Combine(directory, "sandbox.kubeconfig"), app.Services.GetRequiredService<ILoggerFactory>(), cancellationToken)
                : null;
            if (simulated is not null)
            {
                // Registered before the gateway starts, so that jobs left on the clusters of an
                // earlier start are resumed against the new ones (and found gone).
                await simulated.RegisterAsync(app.Services, cancellationToken);
            }
            await app.StartAsync(cancellationToken);
            PrintBanner(context.Console, settings["Gantry:PublicUrl"]!, app.Services.GetRequiredService<SparkUiOrigin>().Display, directory, app.Services.GetRequiredService<AdminBootstrap>(), simulated);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }));
        return command;
    }

    private static async Task<WebApplication> BuildAsync(Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        try
        {
            return await GantryApp.BuildAsync([], settings, cancellationToken);
        }
        catch (DataDirectoryInUseException ex)
        {
            // Another gateway on this SQLite data dir: say which one, not a stack trace.
            throw new CliException(ex.Message, 1);
        }
        catch (KeyRingMismatchException ex)
        {
            // A replica started without the key ring key the others share.
            throw new CliException(ex.Message, 1);
        }
    }

    private static void PrintSandbox(IAnsiConsole console, SandboxClusters sandbox)
    {
        var kubeconfig = sandbox.KubeconfigPath;
        console.MarkupLineInterpolated($"  sandbox:     {sandbox.Clusters.Count} simulated clusters: {string.Join(", ", sandbox.Clusters.Select(c => $"{c.Name} ({c.Server})"))}");
        // One context per cluster and kubectl shows only the current one: name it, or loop over them.
        console.MarkupLineInterpolated($"               kubectl --kubeconfig {kubeconfig} --context {sandbox.Clusters[0].Name} get pods -A   (a job's cluster: gantry describe ID)");
        console.MarkupLineInterpolated($"               for c in $(kubectl --kubeconfig {kubeconfig} config get-contexts -o name); do kubectl --kubeconfig {kubeconfig} --context $c get sparkapplications,pytorchjobs,jaxjobs -A; done");
        console.MarkupLine("               The sandbox lives in this process's memory: a restart starts its clusters empty, and jobs left on them end Failed.");
    }

    /// <summary>
    /// The default UI listener: the same scheme and host as the first API address, on the next port,
    /// so that the Spark UIs get an origin of their own with no setting at all.
    /// </summary>
    private static string NextPort(string listen)
    {
        var first = listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ClientSettings.DefaultUrl;
        var parsed = Uri.TryCreate(first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri);
        if (!parsed || uri!.Port is <= 0 or >= 65535)
        {
            throw new CliException($"--ui-urls: cannot take the port after '{first}'; give --ui-urls (for example http://127.0.0.1:8081) or 'none'.", 2);
        }
        // The host exactly as written ('*', '+', a name, [::1]), without its port.
        var authority = first[(first.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        var port = ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var host = authority.EndsWith(port, StringComparison.Ordinal) ? authority[..^port.Length] : authority;
        return $"{uri.Scheme}://{host}:{uri.Port + 1}";
    }

    private static void PrintBanner(IAnsiConsole console, string url, string? ui, string dataDir, AdminBootstrap admin, SandboxClusters? sandbox)
    {
        console.MarkupLineInterpolated($"[green]Gantry is running at {url}[/]");
        console.MarkupLineInterpolated($"  dashboard:   {url}/");
        console.MarkupLineInterpolated($"  API:         {url}/api/v1   (OpenAPI: {url}/openapi/v1.json)");
        console.MarkupLineInterpolated($"  Spark UIs:   {(ui is null ? "not served (no --ui-urls, no Gantry:SparkUi:Origin)" : ui + "   (their own origin: scripts in a UI never see the dashboard's token)")}");
        console.MarkupLineInterpolated($"  data dir:    {dataDir}");
        if (admin.Token is not null)
        {
            console.MarkupLineInterpolated($"  admin token: {admin.Token}");
        }
        console.MarkupLineInterpolated($"               (saved in {admin.TokenFile})");
        console.MarkupLineInterpolated($"  try:         export GANTRY_URL={url} GANTRY_TOKEN=$(cat {admin.TokenFile})");
        console.MarkupLine("               gantry submit -f examples/hello.yaml --wait   (gantry not on PATH? scripts/install.sh)");
        if (sandbox is not null)
        {
            PrintSandbox(console, sandbox);
        }
        // Last, so that nothing the gateway prints about itself comes after the way out.
        console.MarkupLine(sandbox is null
            ? "Press Ctrl-C to stop. Running jobs keep running and are picked up again at the next start."
            : "Press Ctrl-C to stop. Running jobs keep running and are picked up again at the next start, except the sandbox's (see above).");
    }
}
