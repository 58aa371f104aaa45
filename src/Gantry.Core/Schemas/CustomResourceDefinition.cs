using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>
/// What Gantry (and the sandbox's API server) needs from an <c>apiextensions.k8s.io/v1</c>
/// CustomResourceDefinition: names, scope and each version's schema, read once from its JSON.
/// </summary>
public sealed class CustomResourceDefinition
{
    private CustomResourceDefinition(JsonObject json)
    {
        var spec = json["spec"] as JsonObject ?? throw new FormatException("The CRD has no spec.");
        var names = spec["names"] as JsonObject ?? throw new FormatException("The CRD has no spec.names.");
        Group = Required(spec, "group", "spec.group");
        Kind = Required(names, "kind", "spec.names.kind");
        Plural = Required(names, "plural", "spec.names.plural");
        Singular = Optional(names, "singular") ?? Kind.ToLowerInvariant();
        ListKind = Optional(names, "listKind") ?? Kind + "List";
        ShortNames = Strings(names["shortNames"]);
        Categories = Strings(names["categories"]);
        Namespaced = (Optional(spec, "scope") ?? "Namespaced") == "Namespaced";
        Name = json["metadata"]?["name"]?.GetValue<string>() ?? $"{Plural}.{Group}";
        Versions = spec["versions"] is JsonArray versions && versions.Count > 0
            ? [.. versions.OfType<JsonObject>().Select(ReadVersion)]
            : throw new FormatException($"The CRD {Name} has no spec.versions.");
    }

    public string Name { get; }
    public string Group { get; }
    public string Kind { get; }
    public string ListKind { get; }
    public string Plural { get; }
    public string Singular { get; }
    public IReadOnlyList<string> ShortNames { get; }
    public IReadOnlyList<string> Categories { get; }
    public bool Namespaced { get; }
    public IReadOnlyList<CustomResourceVersion> Versions { get; }

    /// <summary>The version objects are stored in (the one marked <c>storage</c>, else the first).</summary>
    public CustomResourceVersion StorageVersion => Versions.FirstOrDefault(v => v.Storage) ?? Versions[0];

    /// <summary>Reads a CRD object (e.g. a YAML document converted to JSON, or a GET from a cluster).</summary>
    public static CustomResourceDefinition Parse(JsonObject crd)
    {
        if (crd["kind"]?.GetValue<string>() is { } kind && kind != "CustomResourceDefinition")
        {
            throw new FormatException($"Expected kind CustomResourceDefinition, found {kind}.");
        }
        return new CustomResourceDefinition(crd);
    }

    public CustomResourceVersion? Version(string name) => Versions.FirstOrDefault(v => v.Name == name);

    private static CustomResourceVersion ReadVersion(JsonObject version)
    {
        var schema = version["schema"]?["openAPIV3Schema"];
        return new CustomResourceVersion(
            Required(version, "name", "spec.versions[].name"),
            version["served"]?.GetValue<bool>() ?? true,
            version["storage"]?.GetValue<bool>() ?? false,
            schema is null ? null : SchemaNode.Parse(schema),
            version["subresources"]?["status"] is not null,
            version["additionalPrinterColumns"]?.DeepClone() as JsonArray ?? []);
    }

    private static string Required(JsonObject json, string name, string field) =>
        Optional(json, name) ?? throw new FormatException($"The CRD has no {field}.");

    private static string? Optional(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n!.GetValue<string>())] : [];
}
