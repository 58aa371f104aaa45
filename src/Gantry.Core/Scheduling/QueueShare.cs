namespace Gantry.Core.Scheduling;

/// <summary>
/// A queue's dominant share of the pool and the share its weight entitles it to among the queues
/// that want something (0 when it wants nothing): what fair share compares.
/// </summary>
public sealed record QueueShare(string Queue, double Share, double Entitlement);
