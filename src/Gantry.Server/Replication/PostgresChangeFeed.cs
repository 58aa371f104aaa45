using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gantry.Server.Replication;

/// <summary>
/// Hears what other replicas change: one dedicated connection LISTENs on the jobs channel (every
/// job write sends its id there at commit) and wakes this replica's waiters, so a watch held on
/// one replica sees a change made on another at once. PostgreSQL does not replay notifications
/// sent while a listener was away, so every (re)connection wakes all waiters to read the store
/// again; their short polls are the last safety net. Only with PostgreSQL: SQLite is one process.
/// </summary>
public sealed partial class PostgresChangeFeed(
    JobChangeNotifier notifier,
    IOptions<GantryOptions> options,
    ILogger<PostgresChangeFeed> logger) : BackgroundService
{
    /// <summary>The application name the connection shows in pg_stat_activity (tests cut it to prove nothing is lost).</summary>
    public const string ApplicationName = "gantry-listen";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>How many times the listening connection was (re)opened; a test waits on it.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Storage.Provider != "postgres")
        {
            return;
        }
        // Its own connection, outside the pool: LISTEN is per session, and a pooled connection's reset would drop it.
        var connectionString = new NpgsqlConnectionStringBuilder(options.Value.Storage.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = ApplicationName,
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Heard(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.JobsChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                Interlocked.Increment(ref _connections);
                LogListening();
                // Whatever changed while nobody listened is read again now.
                notifier.NotifyAll();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLost(ex.Message);
                notifier.NotifyAll();
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Heard(string payload)
    {
        if (payload == "*")
        {
            notifier.Wake();
        }
        else
        {
            notifier.Notify(payload);
        }
    }

    [LoggerMessage(1520, LogLevel.Information, "Listening for other replicas' job changes")]
    private partial void LogListening();

    [LoggerMessage(1521, LogLevel.Warning, "The connection listening for other replicas' changes broke; reconnecting: {Problem}")]
    private partial void LogLost(string problem);
}
