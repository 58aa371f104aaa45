namespace Gantry.Server.Options;

/// <summary>
/// The <c>Gantry:Leader</c> section: the lease that makes exactly one replica do the singleton work
/// (scheduling, dispatch, cancels, failover, informers). Defaults are the Kubernetes client's.
/// </summary>
public sealed class LeaderOptions
{
    /// <summary>How long a lease lasts without renewal: a killed leader is replaced after at most this (plus one renew period).</summary>
    public int LeaseMilliseconds { get; set; } = 15_000;

    /// <summary>How often the leader renews and standbys try to take over; also each replica's heartbeat.</summary>
    public int RenewMilliseconds { get; set; } = 2_000;

    /// <summary>
    /// How long the leader acts after its last successful renewal was sent: it stops before its
    /// lease can expire, so no two replicas ever act at once. Must be below the lease.
    /// </summary>
    public int GiveUpMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// Whose clock judges expiry: "database" (default; replicas' clocks need not agree) or "local"
    /// (this process's clock: tests that drive time by hand).
    /// </summary>
    public string Clock { get; set; } = "database";

    /// <summary>
    /// Where the other replicas reach this one (http://10.1.2.3:8080): a follower asks the leader for
    /// what only the leader holds. Empty: the first of the gateway's listen addresses, a wildcard host
    /// (0.0.0.0, *, +, [::]) replaced by $POD_IP, else by the host name.
    /// </summary>
    public string AdvertiseUrl { get; set; } = "";

    /// <summary>Replicas silent for this long are dropped from <c>GET /replicas</c>.</summary>
    public int ForgetReplicasAfterSeconds { get; set; } = 3_600;
}
