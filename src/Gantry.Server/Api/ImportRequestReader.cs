using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Kinds;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>
/// Reads an import: either the envelope <c>{"kubeconfig": ..., "contexts": [...], "rename": {...}, "labels": {...}}</c>,
/// or a bare kubeconfig as the body (YAML or JSON) with <c>?context=a&amp;context=b</c>.
/// </summary>
public static class ImportRequestReader
{
    private static readonly string[] Fields = ["kubeconfig", "contexts", "rename", "labels"];

    public static ImportRequest Read(byte[] body, IQueryCollection query, LimitsOptions limits)
    {
        var envelope = TryEnvelope(body, limits.Document);
        if (envelope is null)
        {
            var text = Encoding.UTF8.GetString(body);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw RequestException.BadField("kubeconfig", "The body is empty: send a kubeconfig (YAML or JSON).");
            }
            CheckKubeconfig(text, limits);
            var contexts = query["context"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
            return new ImportRequest(text, contexts, new Dictionary<string, string>(), new Dictionary<string, string>());
        }
        var errors = new ValidationErrors();
        var read = new ManifestReader(errors);
        JsonBody.OnlyFields(envelope, Fields, "an import", errors);
        var kubeconfig = envelope["kubeconfig"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            // Kubeconfig as a JSON object: JSON is YAML, so it is read by the same parser.
            JsonObject o => o.ToJsonString(),
            null => null,
            _ => null,
        };
        if (kubeconfig is null)
        {
            errors.Add("kubeconfig", "is required: the kubeconfig's text (YAML or JSON) or its JSON object");
        }
        var contextNames = new List<string>();
        var array = read.Array(envelope, "", "contexts");
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            if (array![i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                contextNames.Add(v.GetValue<string>());
            }
            else
            {
                errors.Add($"contexts[{i}]", "must be a context name");
            }
        }
        var rename = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (context, value) in read.Object(envelope, "", "rename") ?? [])
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                rename[context] = v.GetValue<string>();
            }
            else
            {
                errors.Add($"rename.{context}", "must be the new cluster name");
            }
        }
        var labels = JsonBody.Labels(read, envelope, "labels");
        errors.ThrowIfAny("The import has invalid fields.");
        CheckKubeconfig(kubeconfig!, limits);
        return new ImportRequest(kubeconfig!, contextNames, rename, labels);
    }

    private static JsonObject? TryEnvelope(byte[] body, DocumentLimits limits)
    {
        try
        {
            return body.Length > 0 && JsonDocuments.Parse(body, limits) is JsonObject o && o.ContainsKey("kubeconfig") ? o : null;
        }
        catch (MalformedDocumentException)
        {
            // Not JSON: the body is the kubeconfig itself, as YAML.
            return null;
        }
    }

    /// <summary>
    /// The kubeconfig goes to the Kubernetes client's own YAML reader, which recurses: it is read
    /// here first, without recursion and within the limits, so only a sane shape ever reaches it.
    /// </summary>
    private static void CheckKubeconfig(string kubeconfig, LimitsOptions limits)
    {
        var bytes = Encoding.UTF8.GetByteCount(kubeconfig);
        if (bytes > limits.MaxKubeconfigBytes)
        {
            throw new LimitExceededException("kubeconfig", "Gantry:Limits:MaxKubeconfigBytes", limits.MaxKubeconfigBytes,
                $"is {bytes} bytes, more than {limits.MaxKubeconfigBytes}", tooLarge: true);
        }
        try
        {
            if (YamlJson.Parse(kubeconfig, limits.Document) is not JsonObject)
            {
                throw RequestException.BadField("kubeconfig", "is not a kubeconfig: expected a YAML or JSON object with clusters, users and contexts");
            }
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or FormatException)
        {
            throw RequestException.BadField("kubeconfig", $"is not valid YAML: {ex.Message}");
        }
    }
}
