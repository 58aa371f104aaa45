using Gantry.Server.Monitoring;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Replication;

/// <summary>
/// Takes or renews the leader's lease every renew period and heartbeats this replica. A renewal
/// counts from the moment it was sent: the term acts until the give-up period after the last
/// renewal that succeeded, whatever the database does meanwhile, so a leader cut off from the
/// database stops acting before its lease can expire and another replica take over. At shutdown
/// the term ends and the lease is released, so a standby takes over within one renew period.
/// </summary>
public sealed partial class LeaderElector(
    IGantryStore store,
    Leadership leadership,
    LeaderMetrics metrics,
    IOptions<GantryOptions> options,
    TimeProvider time,
    ILogger<LeaderElector> logger) : BackgroundService
{
    /// <summary>The lease every replica competes for.</summary>
    public const string LeaseName = "gantry-leader";

    private LeaderOptions Settings => options.Value.Leader;

    /// <summary>
    /// SQLite is one process (the data dir's lock refuses a second), so that process leads from
    /// start to stop without renewing; only PostgreSQL replicas compete for the lease.
    /// </summary>
    private bool Standalone => options.Value.Storage.Provider != "postgres";

    /// <summary>
    /// Whether lease and heartbeat times come from this process's clock rather than the database's
    /// (tests that move time by hand; in production every replica reads the one database clock).
    /// </summary>
    private bool LocalClock => Settings.Clock == "local";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renew = TimeSpan.FromMilliseconds(Settings.RenewMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!Standalone)
            {
                await TryOnceAsync(stoppingToken);
            }
            else if (leadership.Latest is null)
            {
                await TakeStandaloneAsync(stoppingToken);
            }
            await HeartbeatAsync(stoppingToken);
            try
            {
                await Task.Delay(renew, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One try to take or keep the lease, and what it means for this replica's term.</summary>
    internal async Task TryOnceAsync(CancellationToken cancellationToken)
    {
        var giveUp = TimeSpan.FromMilliseconds(Settings.GiveUpMilliseconds);
        var sent = time.GetTimestamp();
        var current = leadership.Current;
        long? epoch;
        try
        {
            // A try that takes longer than the give-up period is worthless: the term is over by then.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(giveUp);
            epoch = await store.Leases.TryAcquireAsync(new LeaseRequest(
                LeaseName,
                leadership.Identity.Id,
                TimeSpan.FromMilliseconds(Settings.LeaseMilliseconds),
                Continuing: current is not null,
                Now: LocalClock ? time.GetUtcNow() : null), bounded.Token);
            metrics.Renewed(time.GetElapsedTime(sent));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The term ends by itself once the give-up period has passed since the last good renewal.
            metrics.RenewFailed(time.GetElapsedTime(sent));
            LogRenewFailed(current is not null, ex.Message);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var actFor = giveUp - time.GetElapsedTime(sent);
        if (epoch is null)
        {
            if (current is not null)
            {
                LogDeposed(current.Epoch);
                End();
            }
            return;
        }
        if (current is not null && current.Epoch == epoch)
        {
            current.ActFor(actFor);
            return;
        }
        var term = new LeaderTerm(new LeaseFence(LeaseName, leadership.Identity.Id, epoch.Value), time.GetUtcNow(), actFor, time);
        leadership.Begin(term);
        metrics.Began(epoch.Value);
        LogLeading(epoch.Value, leadership.Identity.Id);
        // Logged when the term ends, however it ends (deposed, cut off, shutdown).
        term.Lost.Register(() =>
        {
            metrics.Ended();
            LogStopped(epoch.Value);
        });
    }

    private void End() => leadership.End();

    private async Task TakeStandaloneAsync(CancellationToken cancellationToken)
    {
        try
        {
            var epoch = await store.Leases.TryAcquireAsync(new LeaseRequest(
                LeaseName, leadership.Identity.Id, TimeSpan.FromDays(36_500), Continuing: false, Force: true), cancellationToken)
                ?? throw new InvalidOperationException("a forced take of the lease returned no epoch");
            leadership.Begin(new LeaderTerm(new LeaseFence(LeaseName, leadership.Identity.Id, epoch), time.GetUtcNow(), Timeout.InfiniteTimeSpan, time));
            metrics.Began(epoch);
            LogLeading(epoch, leadership.Identity.Id);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.RenewFailed(TimeSpan.Zero);
            LogRenewFailed(false, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var me = leadership.Identity;
        try
        {
            var now = LocalClock ? time.GetUtcNow() : await store.Leases.NowAsync(cancellationToken);
            await store.Replicas.HeartbeatAsync(new ReplicaRecord(me.Id, me.Host, me.Version, me.StartedAt, now, me.Url), cancellationToken);
            if (leadership.IsLeader)
            {
                await store.Replicas.PruneAsync(now.AddSeconds(-Settings.ForgetReplicasAfterSeconds), cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHeartbeatFailed(ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var led = leadership.Current is not null;
        End();
        await base.StopAsync(cancellationToken);
        try
        {
            if (led)
            {
                await store.Leases.ReleaseAsync(LeaseName, leadership.Identity.Id, cancellationToken);
                LogReleased();
            }
            await store.Replicas.RemoveAsync(leadership.Identity.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease then expires on its own; a standby takes over a lease period later.
            LogReleaseFailed(ex.Message);
        }
    }

    [LoggerMessage(1500, LogLevel.Information, "This replica ({Replica}) leads now, in epoch {Epoch}")]
    private partial void LogLeading(long epoch, string replica);

    [LoggerMessage(1501, LogLevel.Warning, "This replica stopped leading (epoch {Epoch}): it could not renew the lease in time, another replica holds it, or the gateway stops")]
    private partial void LogStopped(long epoch);

    [LoggerMessage(1502, LogLevel.Warning, "Another replica holds the lease; this one's term (epoch {Epoch}) is over")]
    private partial void LogDeposed(long epoch);

    [LoggerMessage(1503, LogLevel.Warning, "Taking or renewing the lease failed (leading: {Leading}): {Problem}")]
    private partial void LogRenewFailed(bool leading, string problem);

    [LoggerMessage(1504, LogLevel.Warning, "This replica's heartbeat could not be written: {Problem}")]
    private partial void LogHeartbeatFailed(string problem);

    [LoggerMessage(1505, LogLevel.Information, "Released the lease: a standby takes over at its next try")]
    private partial void LogReleased();

    [LoggerMessage(1506, LogLevel.Warning, "The lease could not be released at shutdown; it expires on its own: {Problem}")]
    private partial void LogReleaseFailed(string problem);
}
