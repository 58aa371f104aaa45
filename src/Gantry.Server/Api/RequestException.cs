namespace Gantry.Server.Api;

/// <summary>
/// A request that could not even be read (malformed body, bad query parameter, too large):
/// answered with <see cref="Status"/> and, when one field is at fault, its name.
/// </summary>
public sealed class RequestException(int status, string message, string? field = null) : Exception(message)
{
    public int Status { get; } = status;
    public string? Field { get; } = field;

    public static RequestException BadField(string field, string message) => new(400, message, field);
}
