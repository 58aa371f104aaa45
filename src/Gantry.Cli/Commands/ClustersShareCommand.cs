using System.CommandLine;
using Gantry.Server.Hosting;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry clusters share NAME --user U [--namespace N] [-o FILE]</c> (admin): the user's
/// kubeconfig goes to FILE (mode 600), or alone to standard output so it can be redirected.
/// </summary>
public static class ClustersShareCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The cluster's name." };
        var user = new Option<string>("--user", "-u") { Description = "The Gantry user to share it with.", Required = true };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Their namespace there (default: gantry-USER, or the one they have)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the user's kubeconfig to this file instead of standard output." };
        var command = new Command("share", "Share a cluster with a user: their namespace, service account and role binding, and a kubeconfig.") { name, user, ns, output };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            using var client = context.Client();
            var share = await client.ShareClusterAsync(parse.GetValue(name)!, parse.GetValue(user)!, parse.GetValue(ns), cancellationToken);
            if (parse.GetValue(output) is not { } file)
            {
                await context.StandardOutput.WriteAsync(System.Text.Encoding.UTF8.GetBytes(share.Kubeconfig), cancellationToken);
                return 0;
            }
            // The file holds a credential.
            await OwnerOnlyFile.WriteAsync(file.FullName, share.Kubeconfig, cancellationToken);
            context.Console.MarkupLineInterpolated(
                $"shared {share.Cluster} with {share.User}: namespace {share.Namespace}, service account {share.ServiceAccount}; token expires {share.ExpiresAt?.ToString("u") ?? "never"}; kubeconfig written to {file.FullName}");
            return 0;
        }));
        return command;
    }
}
