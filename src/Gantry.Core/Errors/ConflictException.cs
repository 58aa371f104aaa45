namespace Gantry.Core.Errors;

/// <summary>The request clashes with the current state (a name already taken, a queue still in use).</summary>
public sealed class ConflictException(string message) : GantryException(message);
