using Gantry.Core.Manifests;

namespace Gantry.Server.Options;

/// <summary>
/// <c>Gantry:Limits</c>: how much one request may ask of the gateway. Each refusal names its key
/// and value (docs/security.md#request-limits).
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>The largest request body accepted (a submitted manifest, a queue definition).</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest page of a list.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>Objects and arrays nested in one JSON or YAML document.</summary>
    public int MaxDocumentDepth { get; set; } = 64;

    /// <summary>Values in one document, YAML aliases expanded.</summary>
    public int MaxDocumentNodes { get; set; } = 100_000;

    /// <summary>Characters in one string or key of a document.</summary>
    public int MaxStringLength { get; set; } = 256 * 1024;

    /// <summary>Labels on one job, queue or cluster.</summary>
    public int MaxLabels { get; set; } = 64;

    /// <summary>Bytes of a manifest's <c>metadata.annotations</c>, keys and values together (Kubernetes' own limit).</summary>
    public int MaxAnnotationBytes { get; set; } = 256 * 1024;

    /// <summary>Observations in one metrics push.</summary>
    public int MaxMetricsPerPush { get; set; } = 10_000;

    /// <summary>Bytes of a kubeconfig given to an import.</summary>
    public int MaxKubeconfigBytes { get; set; } = 512 * 1024;

    public DocumentLimits Document => new(MaxDocumentDepth, MaxDocumentNodes, MaxStringLength);
}
