using Gantry.Core.Queues;

namespace Gantry.Core.Scheduling;

/// <summary>A queue's definition with what its jobs hold on the clusters now.</summary>
public sealed record QueueView(Queue Queue, QueueUsage Usage);
