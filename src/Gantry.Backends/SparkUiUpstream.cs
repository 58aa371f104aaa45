namespace Gantry.Backends;

/// <summary>
/// A driver UI's root (<see cref="BaseAddress"/>, ending with '/') and the HTTP pipeline that
/// reaches it: for a Kubernetes cluster the API server's service proxy with the cluster's own
/// TLS trust and credentials, for the local backend plain loopback HTTP. The invoker belongs to
/// the backend: callers never dispose it.
/// </summary>
public sealed record SparkUiUpstream(Uri BaseAddress, HttpMessageInvoker Invoker);
