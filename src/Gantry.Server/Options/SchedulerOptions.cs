namespace Gantry.Server.Options;

public sealed class SchedulerOptions
{
    /// <summary>Time between rounds; a submission also starts one early.</summary>
    public int IntervalMilliseconds { get; set; } = 500;

    /// <summary>How many queued jobs at the head of each queue one round considers.</summary>
    public int QueueWindow { get; set; } = 200;

    /// <summary>How long a job may wait before capacity is held for it on its closest cluster.</summary>
    public int ReserveAfterSeconds { get; set; } = 600;
}
