namespace Gantry.Backends.Kubernetes.Management;

/// <summary>One line of a cluster test: what was checked, whether it holds, and why not.</summary>
public sealed record ClusterCheck(string Check, bool Ok, string Message);
