namespace Gantry.Core.Errors;

/// <summary>
/// A request went past one of the gateway's limits: <see cref="Setting"/> names the setting and
/// <see cref="Limit"/> its value, <see cref="Field"/> where in the request it happened.
/// <see cref="TooLarge"/> tells a size (413) from a shape that is refused outright (400). The
/// message is <paramref name="what"/> followed by the setting and its value, worded once here.
/// </summary>
public sealed class LimitExceededException(string field, string setting, long limit, string what, bool tooLarge)
    : GantryException($"{what} ({setting} = {limit})")
{
    public string Field { get; } = field;
    public string Setting { get; } = setting;
    public long Limit { get; } = limit;
    public bool TooLarge { get; } = tooLarge;
}
