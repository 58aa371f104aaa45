using System.Text.Json.Nodes;
using Gantry.Core.Schemas;

namespace Gantry.Backends;

/// <summary>A cluster's own rules for a manifest (its CRD schemas), checked at submission before anything is dispatched.</summary>
public interface IManifestValidator
{
    /// <summary>Every schema failure of <paramref name="manifest"/> (empty: it passes), or null when this cluster cannot judge its kind.</summary>
    IReadOnlyList<SchemaCause>? Validate(JsonObject manifest);
}
