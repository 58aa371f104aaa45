using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gantry.Core.Schemas;

/// <summary>
/// One node of a CRD's structural <c>openAPIV3Schema</c>, read once into typed fields so that
/// validating many objects does not walk the (large) schema JSON again.
/// </summary>
public sealed class SchemaNode
{
    private readonly Lazy<Regex?> _pattern;

    private SchemaNode(JsonObject json)
    {
        Type = Text(json, "type");
        Format = Text(json, "format");
        Nullable = Flag(json, "nullable");
        IntOrString = Flag(json, "x-kubernetes-int-or-string");
        PreserveUnknownFields = Flag(json, "x-kubernetes-preserve-unknown-fields");
        EmbeddedResource = Flag(json, "x-kubernetes-embedded-resource");
        Required = json["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [];
        Enum = json["enum"] is JsonArray values ? [.. values.Select(v => v?.DeepClone())] : null;
        Default = json.TryGetPropertyValue("default", out var @default) ? @default?.DeepClone() : null;
        HasDefault = json.ContainsKey("default");
        Minimum = Number(json, "minimum");
        Maximum = Number(json, "maximum");
        ExclusiveMinimum = Flag(json, "exclusiveMinimum");
        ExclusiveMaximum = Flag(json, "exclusiveMaximum");
        MinLength = Integer(json, "minLength");
        MaxLength = Integer(json, "maxLength");
        MinItems = Integer(json, "minItems");
        MaxItems = Integer(json, "maxItems");
        MinProperties = Integer(json, "minProperties");
        MaxProperties = Integer(json, "maxProperties");
        PatternText = Text(json, "pattern");
        _pattern = new(() => PatternText is null ? null : new Regex(PatternText, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        Properties = json["properties"] is JsonObject properties
            ? properties.ToDictionary(p => p.Key, p => Parse(p.Value), StringComparer.Ordinal)
            : null;
        switch (json["additionalProperties"])
        {
            case JsonObject additional:
                AdditionalProperties = Parse(additional);
                break;
            case JsonValue allowed when allowed.GetValueKind() == System.Text.Json.JsonValueKind.True:
                AdditionalProperties = Any;
                break;
        }
        Items = json["items"] is JsonObject items ? Parse(items) : null;
        AnyOf = Branches(json, "anyOf");
        AllOf = Branches(json, "allOf");
        OneOf = Branches(json, "oneOf");
    }

    /// <summary>A schema that accepts anything and keeps every field.</summary>
    public static SchemaNode Any { get; } = new(new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true });

    public string? Type { get; }
    public string? Format { get; }
    public bool Nullable { get; }
    public bool IntOrString { get; }
    public bool PreserveUnknownFields { get; }
    public bool EmbeddedResource { get; }
    public IReadOnlyList<string> Required { get; }
    public IReadOnlyList<JsonNode?>? Enum { get; }
    public bool HasDefault { get; }
    public JsonNode? Default { get; }
    public decimal? Minimum { get; }
    public decimal? Maximum { get; }
    public bool ExclusiveMinimum { get; }
    public bool ExclusiveMaximum { get; }
    public long? MinLength { get; }
    public long? MaxLength { get; }
    public long? MinItems { get; }
    public long? MaxItems { get; }
    public long? MinProperties { get; }
    public long? MaxProperties { get; }
    public string? PatternText { get; }
    public Regex? Pattern => _pattern.Value;
    public IReadOnlyDictionary<string, SchemaNode>? Properties { get; }
    public SchemaNode? AdditionalProperties { get; }
    public SchemaNode? Items { get; }
    public IReadOnlyList<SchemaNode> AnyOf { get; }
    public IReadOnlyList<SchemaNode> AllOf { get; }
    public IReadOnlyList<SchemaNode> OneOf { get; }

    /// <summary>Reads a schema object (an <c>openAPIV3Schema</c> or any node below it).</summary>
    public static SchemaNode Parse(JsonNode? json) =>
        json is JsonObject obj ? new SchemaNode(obj) : throw new FormatException("A schema must be a JSON object.");

    private static IReadOnlyList<SchemaNode> Branches(JsonObject json, string name) =>
        json[name] is JsonArray branches ? [.. branches.Select(Parse)] : [];

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Flag(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static decimal? Number(JsonObject json, string name) =>
        JsonNumber.TryGet(json[name], out var number) ? number : null;

    private static long? Integer(JsonObject json, string name) =>
        JsonNumber.TryGetLong(json[name], out var number) ? number : null;
}
