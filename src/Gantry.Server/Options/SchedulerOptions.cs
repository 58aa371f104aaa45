using Gantry.Core.Resources;

namespace Gantry.Server.Options;

public sealed class SchedulerOptions
{
    /// <summary>
    /// What a training job's container that requests no cpu is counted as asking for (a quantity: "1",
    /// "500m"; "0" counts nothing, as before). Without it a job requesting nothing fits anywhere.
    /// </summary>
    public string DefaultContainerCpu { get; set; } = "1";

    /// <summary>What such a container that requests no memory is counted as asking for ("1Gi"; "0": nothing).</summary>
    public string DefaultContainerMemory { get; set; } = "1Gi";

    /// <summary>The two above as resources; the validator has checked both at start-up.</summary>
    public Resources ContainerDefault() => new(
        Quantity.TryParseCpuMillis(DefaultContainerCpu, out var cpu, out _) ? cpu : throw new InvalidOperationException("Gantry:Scheduler:DefaultContainerCpu is not a quantity."),
        Quantity.TryParseBytes(DefaultContainerMemory, out var memory, out _) ? memory : throw new InvalidOperationException("Gantry:Scheduler:DefaultContainerMemory is not a quantity."),
        0);

    /// <summary>Time between rounds; a submission also starts one early.</summary>
    public int IntervalMilliseconds { get; set; } = 500;

    /// <summary>How many queued jobs at the head of each queue one round considers.</summary>
    public int QueueWindow { get; set; } = 200;

    /// <summary>How long a job may wait before capacity is held for it on its closest cluster.</summary>
    public int ReserveAfterSeconds { get; set; } = 600;
}
