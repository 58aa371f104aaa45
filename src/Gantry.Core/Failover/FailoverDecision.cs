using Gantry.Core.Jobs;

namespace Gantry.Core.Failover;

/// <summary>The state a job on a lost cluster moves to, and the reason recorded with it.</summary>
public sealed record FailoverDecision(JobState To, string Reason);
