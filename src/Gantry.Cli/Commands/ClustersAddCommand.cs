using System.CommandLine;
using Gantry.Cli.Client;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry clusters add NAME --server URL --token-file F [--ca-file F] [--namespace N] [--label k=v]...</c> (admin).</summary>
public static class ClustersAddCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name in Gantry." };
        var server = new Option<string>("--server") { Description = "The API server's URL, e.g. https://10.0.0.1:6443.", Required = true };
        var tokenFile = new Option<FileInfo>("--token-file") { Description = "A file holding the bearer token Gantry uses there (read here; never put a token on a command line).", Required = true };
        var caFile = new Option<FileInfo?>("--ca-file") { Description = "The PEM certificate(s) the server's certificate chains to." };
        var insecure = new Option<bool>("--insecure-skip-tls-verify") { Description = "Do not check the server's certificate (tests only)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Where jobs go unless their owner has a share there (default: default)." };
        var labels = new Option<string[]>("--label", "-l") { Description = "A label k=v, repeatable.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add", "Register a Kubernetes cluster by server URL and token.") { name, server, tokenFile, caFile, insecure, ns, labels };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var token = (await ReadFileAsync(parse.GetValue(tokenFile)!, cancellationToken)).Trim();
            var ca = parse.GetValue(caFile) is { } file ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(await ReadFileAsync(file, cancellationToken))) : null;
            using var client = context.Client();
            var cluster = await client.AddClusterAsync(new
            {
                name = parse.GetValue(name),
                server = parse.GetValue(server),
                token,
                certificateAuthorityData = ca,
                insecureSkipTlsVerify = parse.GetValue(insecure),
                @namespace = parse.GetValue(ns),
                labels = LabelArguments.Parse(parse.GetValue(labels) ?? [], allowRemoval: false),
            }, cancellationToken);
            context.Console.MarkupLineInterpolated($"added cluster [bold]{cluster.Name}[/] ({cluster.Connection?.Server}); run `gantry clusters test {cluster.Name}` to check it");
            return 0;
        }));
        return command;
    }

    internal static async Task<string> ReadFileAsync(FileInfo file, CancellationToken cancellationToken) =>
        file.Exists ? await File.ReadAllTextAsync(file.FullName, cancellationToken) : throw new CliException($"{file.FullName} does not exist.");
}
