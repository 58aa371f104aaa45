using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>One entry of a CRD's <c>spec.versions</c>: its schema and the subresources it serves.</summary>
public sealed record CustomResourceVersion(
    string Name,
    bool Served,
    bool Storage,
    SchemaNode? Schema,
    bool HasStatusSubresource,
    JsonArray PrinterColumns);
