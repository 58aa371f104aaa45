namespace Gantry.Core.Errors;

public sealed class ForbiddenException(string message) : GantryException(message);
