using System.Security.Cryptography;
using Gantry.Backends.Kubernetes;
using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Core.Validation;
using Gantry.Server.Api;
using k8s;
using k8s.Exceptions;
using Context = k8s.KubeConfigModels.Context;
using K8SConfiguration = k8s.KubeConfigModels.K8SConfiguration;
using Microsoft.Extensions.Logging;

namespace Gantry.Server.Clusters;

/// <summary>
/// Registers one cluster per context of a kubeconfig. Problems of the request (a kubeconfig
/// that does not parse, a context it lacks) refuse the whole import; a context that cannot be
/// used is reported by field while the others are imported.
/// </summary>
public sealed partial class ClusterImporter(ClusterRegistrar registrar, ILogger<ClusterImporter> logger)
{
    public async Task<ImportResult> ImportAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        var kubeconfig = Parse(request.Kubeconfig);
        var contexts = Select(kubeconfig, request);
        var errors = new ValidationErrors();
        var imported = new List<(Cluster, ClusterConnection)>();
        foreach (var context in contexts)
        {
            var prefix = $"contexts.{context.Name}.";
            var name = request.Rename.GetValueOrDefault(context.Name) ?? context.Name;
            if (!ClusterRules.IsValidName(name))
            {
                errors.Add(prefix + "name", $"'{name}' {ClusterRules.NameRule}; give it another name with rename.{context.Name}");
                continue;
            }
            var connection = KubeconfigContext.Resolve(kubeconfig, context, prefix, errors);
            if (connection is null || !Usable(connection, prefix, errors))
            {
                continue;
            }
            try
            {
                imported.Add((await registrar.AddAsync(name, request.Labels, connection, cancellationToken), connection));
                LogImported(name, context.Name);
            }
            catch (ConflictException)
            {
                errors.Add(prefix + "name", $"cluster '{name}' already exists; remove it first or import the context under another name with rename.{context.Name}");
            }
        }
        if (imported.Count == 0)
        {
            errors.ThrowIfAny("No context of the kubeconfig could be imported.");
        }
        return new ImportResult(imported, errors.ToDictionary());
    }

    private static K8SConfiguration Parse(string text)
    {
        K8SConfiguration? kubeconfig;
        try
        {
            kubeconfig = KubernetesYaml.Deserialize<K8SConfiguration>(text);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException or FormatException)
        {
            throw RequestException.BadField("kubeconfig", $"The kubeconfig is neither YAML nor JSON: {ex.Message}");
        }
        if (kubeconfig?.Contexts is null || !kubeconfig.Contexts.Any())
        {
            throw ValidationException.For("kubeconfig.contexts", "the kubeconfig has no contexts; each context (a cluster and a user) becomes one Gantry cluster");
        }
        return kubeconfig;
    }

    private static List<Context> Select(K8SConfiguration kubeconfig, ImportRequest request)
    {
        var all = kubeconfig.Contexts.ToList();
        var errors = new ValidationErrors();
        for (var i = 0; i < request.Contexts.Count; i++)
        {
            if (all.All(c => c.Name != request.Contexts[i]))
            {
                errors.Add($"contexts[{i}]", $"'{request.Contexts[i]}' is not a context of the kubeconfig; it has {string.Join(", ", all.Select(c => c.Name))}");
            }
        }
        var chosen = request.Contexts.Count == 0 ? all : all.Where(c => request.Contexts.Contains(c.Name)).ToList();
        foreach (var context in request.Rename.Keys.Where(k => chosen.All(c => c.Name != k)))
        {
            errors.Add($"rename.{context}", $"'{context}' is not a context being imported");
        }
        errors.ThrowIfAny("The import names contexts the kubeconfig does not have.");
        return chosen;
    }

    /// <summary>
    /// Builds the client configuration once, as the backend will, so that bad certificate data
    /// is reported now. Exec plugins are not run here: they may be slow or interactive.
    /// </summary>
    private static bool Usable(ClusterConnection connection, string prefix, ValidationErrors errors)
    {
        if (connection.Exec is not null)
        {
            return true;
        }
        try
        {
            KubernetesConfigurationFactory.Create(connection);
            return true;
        }
        catch (Exception ex) when (ex is KubeConfigException or CryptographicException or FormatException or ArgumentException)
        {
            errors.Add(prefix.TrimEnd('.'), $"the client library cannot use this context: {ex.Message}");
            return false;
        }
    }

    [LoggerMessage(1520, LogLevel.Information, "Imported cluster {Cluster} from kubeconfig context {Context}")]
    private partial void LogImported(string cluster, string context);
}
