using System.Text.Json.Nodes;
using Gantry.Core.Schemas;

namespace Gantry.Sandbox.Store;

/// <summary>One kind of object the API server serves: where it lives and what it allows.</summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatus = false,
    SchemaNode? Schema = null,
    bool IsCustom = false)
{
    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Subresources served besides status (e.g. <c>log</c> for pods).</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    public JsonArray PrinterColumns { get; init; } = [];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>sparkapplications.sparkoperator.k8s.io</c>, or just <c>pods</c> in the core group.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";
}
