using System.Text.RegularExpressions;

namespace Gantry.Core.Tuning;

/// <summary>A trial parameter's reference to the trial's own metadata: <c>${trialSpec.Name}</c> or <c>${trialSpec.Labels[key]}</c>.</summary>
public readonly partial record struct MetaReference(MetaField Field, string? Key)
{
    [GeneratedRegex(@"^\$\{trialSpec\.(Name|Namespace|Kind|APIVersion)\}$")]
    private static partial Regex Plain();

    [GeneratedRegex(@"^\$\{trialSpec\.(Labels|Annotations)\[(.+)\]\}$")]
    private static partial Regex Keyed();

    public static bool TryParse(string reference, out MetaReference meta)
    {
        if (Plain().Match(reference) is { Success: true } plain)
        {
            meta = new MetaReference(plain.Groups[1].Value switch
            {
                "Name" => MetaField.Name,
                "Namespace" => MetaField.Namespace,
                "Kind" => MetaField.Kind,
                _ => MetaField.ApiVersion,
            }, null);
            return true;
        }
        if (Keyed().Match(reference) is { Success: true } keyed)
        {
            meta = new MetaReference(keyed.Groups[1].Value == "Labels" ? MetaField.Labels : MetaField.Annotations, keyed.Groups[2].Value);
            return true;
        }
        meta = default;
        return false;
    }
}
