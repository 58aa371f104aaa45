namespace Gantry.Backends;

/// <summary>
/// What the gateway hands a backend with each dispatch besides the job: the job's own token,
/// which the backend puts in the job's environment as GANTRY_JOB_TOKEN (it may only push
/// that job's metrics) and never stores; on a cluster shared with the job's owner, the
/// namespace that share gave them (null: the cluster's own namespace); and the path under which
/// the gateway serves the job's web UI (a Spark driver's <c>spark.ui.proxyBase</c>; null: none).
/// </summary>
public sealed record DispatchContext(string JobToken, string? Namespace = null, string? UiProxyBase = null)
{
    /// <summary>The job's owner as stored (with their number, from which the local backend derives the OS uid their jobs run under); null if unknown.</summary>
    public Core.Users.User? Owner { get; init; }
}
