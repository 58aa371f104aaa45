namespace Gantry.Backends;

/// <summary>
/// What the gateway hands a backend with each dispatch besides the job: the job's own token,
/// which the backend puts in the job's environment as GANTRY_JOB_TOKEN (it may only push
/// that job's metrics) and never stores.
/// </summary>
public sealed record DispatchContext(string JobToken);
