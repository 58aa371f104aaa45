namespace Gantry.Core.Errors;

/// <summary>The input is well-formed but wrong; <see cref="Errors"/> names each bad field.</summary>
public sealed class ValidationException(string message, IReadOnlyDictionary<string, string[]> errors)
    : GantryException(message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationException For(string field, string message) =>
        new($"Invalid field '{field}': {message}", new Dictionary<string, string[]> { [field] = [message] });
}
