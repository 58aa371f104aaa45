namespace Gantry.Core.Scheduling;

/// <summary>A job that can never run where it is allowed to: it fails with <paramref name="Reason"/> rather than wait forever.</summary>
public sealed record Rejection(string JobId, ReasonCode Code, string Reason);
