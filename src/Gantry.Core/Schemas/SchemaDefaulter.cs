using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>Fills in the schema's <c>default</c> values for absent fields, the way the API server does on write.</summary>
public static class SchemaDefaulter
{
    public static void Apply(SchemaNode schema, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                ApplyObject(schema, obj);
                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var element in array)
                {
                    Apply(items, element);
                }
                break;
        }
    }

    private static void ApplyObject(SchemaNode schema, JsonObject obj)
    {
        if (schema.Properties is { } properties)
        {
            foreach (var (key, property) in properties)
            {
                if (property.HasDefault && !obj.ContainsKey(key))
                {
                    obj[key] = property.Default?.DeepClone();
                }
            }
        }
        foreach (var (key, value) in obj.ToList())
        {
            if (SchemaPruner.ChildSchema(schema, key) is { } child)
            {
                Apply(child, value);
            }
        }
    }
}
