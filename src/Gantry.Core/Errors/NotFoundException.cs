namespace Gantry.Core.Errors;

public sealed class NotFoundException(string what, string id)
    : GantryException($"{what} '{id}' was not found.")
{
    public string What { get; } = what;
    public string Id { get; } = id;
}
