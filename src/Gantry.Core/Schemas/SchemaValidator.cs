using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>
/// Checks a value against a structural schema and reports every failure with the API server's
/// cause reason, field path (<c>spec.volumes[0].name</c>; map keys joined with dots like properties, as kube-openapi does) and message text.
/// CEL rules (<c>x-kubernetes-validations</c>) and string formats are not evaluated.
/// </summary>
public static class SchemaValidator
{
    public static IReadOnlyList<SchemaCause> Validate(SchemaNode schema, JsonNode? value)
    {
        var causes = new List<SchemaCause>();
        Validate(schema, value, "", causes);
        return causes;
    }

    private static void Validate(SchemaNode schema, JsonNode? value, string path, List<SchemaCause> causes)
    {
        if (value is null)
        {
            if (!schema.Nullable && schema.Type is not null)
            {
                causes.Add(TypeInvalid(path, "null", schema.Type));
            }
            return;
        }
        var kind = KindOf(value);
        if (!HasAllowedType(schema, value, kind))
        {
            causes.Add(TypeInvalid(path, kind, schema.IntOrString ? "integer,string" : schema.Type!));
            return;
        }
        CheckEnum(schema, value, path, causes);
        switch (value)
        {
            case JsonObject obj:
                ValidateObject(schema, obj, path, causes);
                break;
            case JsonArray array:
                ValidateArray(schema, array, path, causes);
                break;
            default:
                ValueRules.Check(schema, (JsonValue)value, path, causes);
                break;
        }
        foreach (var branch in schema.AllOf)
        {
            Validate(branch, value, path, causes);
        }
        CheckBranches(schema.AnyOf, value, path, "anyOf", causes);
        CheckBranches(schema.OneOf, value, path, "oneOf", causes);
    }

    private static void ValidateObject(SchemaNode schema, JsonObject obj, string path, List<SchemaCause> causes)
    {
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
            {
                causes.Add(new SchemaCause(CauseReasons.Required, Child(path, name), "Required value"));
            }
        }
        if (schema.MaxProperties is { } max && obj.Count > max)
        {
            causes.Add(new SchemaCause(CauseReasons.TooMany, Display(path), $"Too many: {obj.Count}: must have at most {max} items"));
        }
        if (schema.MinProperties is { } min && obj.Count < min)
        {
            causes.Add(Invalid(path, obj, $"should have at least {min} properties"));
        }
        foreach (var (key, child) in obj)
        {
            if (schema.Properties is { } properties && properties.TryGetValue(key, out var property))
            {
                Validate(property, child, Child(path, key), causes);
            }
            else if (schema.AdditionalProperties is { } additional)
            {
                Validate(additional, child, Child(path, key), causes);
            }
        }
    }

    private static void ValidateArray(SchemaNode schema, JsonArray array, string path, List<SchemaCause> causes)
    {
        if (schema.MaxItems is { } max && array.Count > max)
        {
            causes.Add(new SchemaCause(CauseReasons.TooMany, Display(path), $"Too many: {array.Count}: must have at most {max} items"));
        }
        if (schema.MinItems is { } min && array.Count < min)
        {
            causes.Add(Invalid(path, array, $"should have at least {min} items"));
        }
        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(items, array[i], $"{path}[{i}]", causes);
            }
        }
    }

    private static void CheckEnum(SchemaNode schema, JsonNode value, string path, List<SchemaCause> causes)
    {
        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            var supported = string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"));
            causes.Add(new SchemaCause(CauseReasons.NotSupported, Display(path),
                $"Unsupported value: {Show(value)}: supported values: {supported}"));
        }
    }

    private static void CheckBranches(IReadOnlyList<SchemaNode> branches, JsonNode value, string path, string keyword, List<SchemaCause> causes)
    {
        if (branches.Count == 0)
        {
            return;
        }
        var passing = branches.Count(b => Validate(b, value).Count == 0);
        var ok = keyword == "oneOf" ? passing == 1 : passing > 0;
        if (!ok)
        {
            causes.Add(Invalid(path, value, $"must validate {(keyword == "oneOf" ? "one and only one" : "at least one")} schema ({keyword})"));
        }
    }

    private static bool HasAllowedType(SchemaNode schema, JsonNode value, string kind)
    {
        if (schema.IntOrString)
        {
            return kind is "string" or "integer";
        }
        return schema.Type switch
        {
            null => true,
            "number" => kind is "number" or "integer",
            var type => type == kind,
        };
    }

    internal static string KindOf(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => JsonNumber.TryGet(value, out var number) && number == decimal.Truncate(number) ? "integer" : "number",
        _ => "null",
    };

    internal static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    internal static string Display(string path) => path.Length == 0 ? "<root>" : path;

    internal static SchemaCause Invalid(string path, JsonNode value, string rule) =>
        new(CauseReasons.Invalid, Display(path), $"Invalid value: {Show(value)}: {Display(path)} in body {rule}");

    private static SchemaCause TypeInvalid(string path, string given, string expected) =>
        new(CauseReasons.TypeInvalid, Display(path),
            $"Invalid value: \"{given}\": {Display(path)} in body must be of type {expected}: \"{given}\"");

    /// <summary>The value as the API server quotes it: strings in quotes, numbers bare, structures by kind.</summary>
    internal static string Show(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "\"object\"",
        JsonValueKind.Array => "\"array\"",
        JsonValueKind.String => value.ToJsonString(),
        _ => value.ToJsonString(),
    };
}
