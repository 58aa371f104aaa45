namespace Gantry.Backends.Kubernetes.Management;

/// <summary>
/// A cluster's API server could not be reached or refused what Gantry asked of it. Not the
/// caller's mistake and not Gantry's: answered as 502 with the server's own words.
/// </summary>
public sealed class ClusterApiException(string message, Exception? inner = null) : Exception(message, inner);
