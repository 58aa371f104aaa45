using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>
/// Drops what a structural schema does not declare, as the API server does before storing a
/// custom resource: unknown fields (unless <c>x-kubernetes-preserve-unknown-fields</c>) and nulls
/// in fields that are not <c>nullable</c>.
/// </summary>
public static class SchemaPruner
{
    private static readonly string[] TypeMetaFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Prunes <paramref name="root"/> in place; its apiVersion, kind and metadata are always kept.</summary>
    public static void Prune(SchemaNode schema, JsonObject root) => PruneObject(schema, root, keepTypeMeta: true);

    private static void Prune(SchemaNode schema, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                PruneObject(schema, obj, schema.EmbeddedResource);
                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var element in array)
                {
                    Prune(items, element);
                }
                break;
        }
    }

    private static void PruneObject(SchemaNode schema, JsonObject obj, bool keepTypeMeta)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (keepTypeMeta && TypeMetaFields.Contains(key))
            {
                continue;
            }
            var child = ChildSchema(schema, key);
            if (child is null)
            {
                if (!schema.PreserveUnknownFields)
                {
                    obj.Remove(key);
                }
            }
            else if (value is null && !child.Nullable)
            {
                obj.Remove(key);
            }
            else
            {
                Prune(child, value);
            }
        }
    }

    internal static SchemaNode? ChildSchema(SchemaNode schema, string key) =>
        schema.Properties is { } properties && properties.TryGetValue(key, out var property)
            ? property
            : schema.AdditionalProperties;
}
