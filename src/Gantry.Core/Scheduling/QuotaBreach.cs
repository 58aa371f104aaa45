namespace Gantry.Core.Scheduling;

/// <summary>The quota a job would break: <paramref name="Resource"/> is cpu, memory, gpu or jobs; amounts in its unit (millis, bytes, count).</summary>
public sealed record QuotaBreach(string Resource, long Held, long Limit, long Needed);
