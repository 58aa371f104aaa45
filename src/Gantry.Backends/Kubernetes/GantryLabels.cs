using System.Text;
using Gantry.Core.Labels;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// The labels and names Gantry puts on what it creates in a cluster. The job-id label is how
/// the watcher finds Gantry's objects (and, copied onto pods, their pods).
/// </summary>
public static class GantryLabels
{
    public const string JobId = "gantry.io/job-id";
    public const string Queue = "gantry.io/queue";
    public const string Owner = "gantry.io/owner";

    /// <summary>An annotation: the manifest's own <c>metadata.name</c> (or the job's name), which the resource's name replaces.</summary>
    public const string Name = "gantry.io/name";

    /// <summary>Selects every object Gantry created, whatever the job.</summary>
    public const string Selector = JobId;

    private const int MaxValueLength = 63;

    /// <summary>
    /// The custom resource's name: "g-" and the job id (12 lower-case base-32 characters), a
    /// DNS-1035 label of 14 characters, so the operators' derived names (<c>-driver</c>,
    /// <c>-ui-svc</c>, <c>-worker-0</c>) stay far below 63 and are never truncated or hashed.
    /// </summary>
    public static string ResourceName(string jobId) => "g-" + jobId;

    /// <summary>The job id in a resource name Gantry gave (<c>g-&lt;id&gt;</c>), or null for any other name.</summary>
    public static string? JobIdOf(string resourceName) =>
        resourceName.StartsWith("g-", StringComparison.Ordinal) && resourceName.Length > 2 ? resourceName[2..] : null;

    /// <summary>The Secret holding the job's token: named after the custom resource it belongs to.</summary>
    public static string TokenSecretName(string jobId) => ResourceName(jobId) + "-gantry";

    /// <summary>
    /// <paramref name="text"/> as a valid label value: characters a label may not hold become
    /// '-', the ends are trimmed to letters and digits, and it is cut at 63 characters.
    /// The value identifies, it is not authoritative: the store keeps the real owner and queue.
    /// </summary>
    public static string Value(string text)
    {
        if (LabelRules.IsValidValue(text))
        {
            return text;
        }
        var builder = new StringBuilder(Math.Min(text.Length, MaxValueLength));
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
            if (builder.Length == MaxValueLength)
            {
                break;
            }
        }
        var value = builder.ToString().Trim('-', '_', '.');
        return LabelRules.IsValidValue(value) ? value : "";
    }
}
