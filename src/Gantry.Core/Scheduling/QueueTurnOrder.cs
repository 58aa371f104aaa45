namespace Gantry.Core.Scheduling;

/// <summary>
/// Whose turn it is among the queues: the highest priority, then the least weighted dominant
/// share, then the name (so the order never depends on the order the queues came in).
/// </summary>
internal sealed class QueueTurnOrder : IComparer<QueueLedger>
{
    public static QueueTurnOrder Instance { get; } = new();

    public int Compare(QueueLedger? x, QueueLedger? y)
    {
        var byPriority = y!.Queue.Priority.CompareTo(x!.Queue.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }
        var byShare = x.Share.CompareTo(y.Share);
        return byShare != 0 ? byShare : string.CompareOrdinal(x.Queue.Name, y.Queue.Name);
    }
}
