using Gantry.Server.Hosting;
using Microsoft.Extensions.Hosting;

namespace Gantry.Server.Replication;

/// <summary>
/// Base of the singleton work (scheduling, failover): it runs only while this replica leads, with a
/// token cancelled the moment the term ends, and starts again in the next term.
/// </summary>
public abstract class LeaderService(Leadership leadership, Readiness readiness) : BackgroundService
{
    /// <summary>Whether this replica leads now; the work of a term may ask for the current term.</summary>
    protected Leadership Leadership { get; } = leadership;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.StartedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var term = await Leadership.WaitForTermAsync(stoppingToken);
                using var acting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Lost);
                try
                {
                    await RunTermAsync(term, acting.Token);
                }
                catch (Exception ex) when (acting.IsCancellationRequested && ex is OperationCanceledException or NotLeaderException or Storage.FencedOutException)
                {
                    // The term ended under the work: the next term starts it again.
                }
                // A term whose work returned early waits for its end before the next begins.
                if (!stoppingToken.IsCancellationRequested && term.IsActing)
                {
                    await Task.Delay(Timeout.Infinite, acting.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The work of one term; <paramref name="acting"/> is cancelled when the term ends or the gateway stops.</summary>
    protected abstract Task RunTermAsync(LeaderTerm term, CancellationToken acting);
}
