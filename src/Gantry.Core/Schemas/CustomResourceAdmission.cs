using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>
/// What the API server does to a custom resource's body before storing it: prune unknown fields,
/// apply defaults, then validate. The same steps let Gantry reject a manifest before dispatch.
/// </summary>
public static class CustomResourceAdmission
{
    /// <summary>Prunes and defaults <paramref name="obj"/> in place and answers every schema failure.</summary>
    public static IReadOnlyList<SchemaCause> Admit(SchemaNode schema, JsonObject obj)
    {
        SchemaPruner.Prune(schema, obj);
        SchemaDefaulter.Apply(schema, obj);
        return SchemaValidator.Validate(schema, obj);
    }

    /// <summary>
    /// The Status message of a 422, as the API server words it:
    /// <c>SparkApplication.sparkoperator.k8s.io "pi" is invalid: spec.driver: Required value</c>
    /// (several causes in brackets, comma-separated).
    /// </summary>
    public static string InvalidMessage(string kind, string group, string name, IReadOnlyList<SchemaCause> causes)
    {
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        var list = causes.Count == 1 ? causes[0].ToString() : $"[{string.Join(", ", causes)}]";
        return $"{qualified} \"{name}\" is invalid: {list}";
    }
}
