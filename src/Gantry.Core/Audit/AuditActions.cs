namespace Gantry.Core.Audit;

/// <summary>
/// The actions the audit trail records, named <c>resource.verb</c> so that a filter on the
/// resource alone (<c>action=cluster</c>) finds every action on it.
/// </summary>
public static class AuditActions
{
    public const string QueueCreate = "queue.create";
    public const string QueueUpdate = "queue.update";
    public const string QueueDelete = "queue.delete";
    public const string ClusterRegister = "cluster.register";
    public const string ClusterImport = "cluster.import";
    public const string ClusterLabel = "cluster.label";
    public const string ClusterDelete = "cluster.delete";
    public const string ClusterCordon = "cluster.cordon";
    public const string ClusterUncordon = "cluster.uncordon";
    public const string ClusterTest = "cluster.test";
    public const string ShareCreate = "share.create";
    public const string ShareDelete = "share.delete";
    public const string UserCreate = "user.create";
    public const string TokenCreate = "token.create";
    public const string TokenRevoke = "token.revoke";
    public const string SessionCreate = "session.create";
    public const string SessionDelete = "session.delete";

    public static IReadOnlyList<string> All { get; } =
    [
        QueueCreate, QueueUpdate, QueueDelete,
        ClusterRegister, ClusterImport, ClusterLabel, ClusterDelete, ClusterCordon, ClusterUncordon, ClusterTest,
        ShareCreate, ShareDelete, UserCreate, TokenCreate, TokenRevoke, SessionCreate, SessionDelete,
    ];
}
