namespace Gantry.Storage;

/// <summary>The row changed since it was read; read it again and decide anew.</summary>
public sealed class ConcurrencyException(string message) : Exception(message);
