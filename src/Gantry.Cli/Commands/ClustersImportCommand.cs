using System.CommandLine;
using Gantry.Cli.Client;
using k8s;
using k8s.KubeConfigModels;
using Spectre.Console;

namespace Gantry.Cli.Commands;

/// <summary>
/// <c>gantry clusters import KUBECONFIG [--context X]... [--rename X=NAME]... [--label k=v]...</c> (admin).
/// Files the kubeconfig refers to (certificate-authority, client-certificate, client-key) are
/// read here and sent inline: the gateway cannot read this machine's files.
/// </summary>
public static class ClustersImportCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("kubeconfig") { Description = "The kubeconfig file (YAML or JSON)." };
        var contexts = new Option<string[]>("--context") { Description = "A context to import, repeatable (default: every context)." };
        var renames = new Option<string[]>("--rename") { Description = "CONTEXT=NAME: import that context under another cluster name, repeatable." };
        var labels = new Option<string[]>("--label", "-l") { Description = "A label k=v for every imported cluster, repeatable." };
        var command = new Command("import", "Register one cluster per context of a kubeconfig.") { file, contexts, renames, labels };
        command.SetAction(CliApp.Handle(context, async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var text = await ClustersAddCommand.ReadFileAsync(path, cancellationToken);
            using var client = context.Client();
            var result = await client.ImportClustersAsync(new
            {
                kubeconfig = await InlineFilesAsync(text, path, cancellationToken),
                contexts = parse.GetValue(contexts) ?? [],
                rename = LabelArguments.Parse(parse.GetValue(renames) ?? [], allowRemoval: false),
                labels = LabelArguments.Parse(parse.GetValue(labels) ?? [], allowRemoval: false),
            }, cancellationToken);
            var table = new Table().Border(TableBorder.Simple).AddColumns("IMPORTED", "SERVER", "NAMESPACE", "AUTHENTICATION");
            foreach (var cluster in result.Imported)
            {
                table.AddRow(Markup.Escape(cluster.Name), Markup.Escape(cluster.Connection?.Server ?? ""), Markup.Escape(cluster.Connection?.Namespace ?? ""), cluster.Connection?.Authentication ?? "");
            }
            context.Console.Write(table);
            foreach (var (field, messages) in result.Errors)
            {
                context.Console.MarkupLineInterpolated($"[red]not imported:[/] {field}: {string.Join("; ", messages)}");
            }
            if (result.Imported.Any(c => c.Connection?.Authentication == "exec"))
            {
                context.Console.MarkupLine("note: exec credential plugins run on the gateway's host, which needs the plugin installed.");
            }
            return result.Errors.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    /// <summary>The kubeconfig with every file it names replaced by that file's content; unchanged when it names none.</summary>
    public static async Task<string> InlineFilesAsync(string text, FileInfo path, CancellationToken cancellationToken)
    {
        K8SConfiguration kubeconfig;
        try
        {
            kubeconfig = KubernetesYaml.Deserialize<K8SConfiguration>(text);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            // The gateway says what is wrong with it, naming the field.
            return text;
        }
        var changed = false;
        foreach (var endpoint in kubeconfig.Clusters?.Select(c => c.ClusterEndpoint).Where(e => e is not null) ?? [])
        {
            if (endpoint!.CertificateAuthorityData is null && endpoint.CertificateAuthority is { Length: > 0 } ca)
            {
                endpoint.CertificateAuthorityData = await Base64FileAsync(ca, path, cancellationToken);
                endpoint.CertificateAuthority = null;
                changed = true;
            }
        }
        foreach (var user in kubeconfig.Users?.Select(u => u.UserCredentials).Where(u => u is not null) ?? [])
        {
            if (user!.ClientCertificateData is null && user.ClientCertificate is { Length: > 0 } certificate)
            {
                user.ClientCertificateData = await Base64FileAsync(certificate, path, cancellationToken);
                user.ClientCertificate = null;
                changed = true;
            }
            if (user.ClientKeyData is null && user.ClientKey is { Length: > 0 } key)
            {
                user.ClientKeyData = await Base64FileAsync(key, path, cancellationToken);
                user.ClientKey = null;
                changed = true;
            }
        }
        return changed ? KubernetesYaml.Serialize(kubeconfig) : text;
    }

    // Relative paths in a kubeconfig are relative to the kubeconfig file.
    private static async Task<string> Base64FileAsync(string name, FileInfo kubeconfig, CancellationToken cancellationToken)
    {
        var full = Path.IsPathRooted(name) ? name : Path.Combine(kubeconfig.DirectoryName ?? ".", name);
        if (!File.Exists(full))
        {
            throw new CliException($"{kubeconfig.Name} refers to {full}, which does not exist.");
        }
        return Convert.ToBase64String(await File.ReadAllBytesAsync(full, cancellationToken));
    }
}
