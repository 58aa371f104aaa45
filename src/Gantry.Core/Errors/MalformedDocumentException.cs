namespace Gantry.Core.Errors;

/// <summary>A document that cannot be read at all (not JSON, not YAML, a string that is not text); <see cref="Field"/> names where.</summary>
public sealed class MalformedDocumentException(string field, string message) : GantryException(message)
{
    public string Field { get; } = field;
}
