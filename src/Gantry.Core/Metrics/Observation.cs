namespace Gantry.Core.Metrics;

/// <summary>One metric point a job pushed: a named value at a training step and a time.</summary>
public sealed record Observation(string Name, double Value, long? Step, DateTimeOffset Timestamp);
