using Gantry.Core.Jobs;

namespace Gantry.Server.Api;

public sealed record JobEventDto(long Seq, DateTimeOffset At, string? From, string To, string Reason)
{
    public static JobEventDto Of(JobEvent e) => new(e.Seq, e.At, e.From?.ToString(), e.To.ToString(), e.Reason);
}

public sealed record JobEventListDto(IReadOnlyList<JobEventDto> Items);

/// <summary>The data of one SSE <c>state</c> event: the transition and the job after it.</summary>
public sealed record WatchEventDto(JobEventDto Event, JobDto Job);
