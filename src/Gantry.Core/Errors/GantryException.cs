namespace Gantry.Core.Errors;

/// <summary>
/// Base of the errors that are the caller's to fix. The server maps each subtype to one
/// HTTP status in one place; anything else is a bug and a 500.
/// </summary>
public abstract class GantryException(string message) : Exception(message);
