namespace Gantry.Server.Clusters;

/// <summary>The store's key ring was encrypted with another key ring key than this gateway's (see <see cref="KeyRingCheck"/>).</summary>
public sealed class KeyRingMismatchException(string message) : Exception(message);
