using System.Data.Common;
using Dapper;
using Gantry.Core.Jobs;

namespace Gantry.Storage.Sql;

/// <summary>One change of a job to store: its new row, the event that goes with it, and the leader's fence if any.</summary>
internal sealed record JobChange(Job Updated, JobEvent? Transition, LeaseFence? Fence);

/// <summary>
/// Writes one group-commit batch of job changes in the caller's transaction: the fences are
/// checked once each, then every change is an update that holds only if the row is still at the
/// version its writer read. A change that lost that race (or a fence that is gone) throws, which
/// fails the batch; <see cref="GroupCommit{TItem, TResult}"/> then writes each change on its own,
/// so only the loser sees the exception and retries from a fresh read.
/// </summary>
internal static class JobBatchUpdate
{
    public static async Task<IReadOnlyList<Job>> UpdateAsync(SqlDatabase database, DbConnection connection, DbTransaction transaction, IReadOnlyList<JobChange> batch)
    {
        foreach (var fence in batch.Select(c => c.Fence).OfType<LeaseFence>().Distinct())
        {
            await SqlLeaseStore.CheckAsync(database, connection, transaction, fence, CancellationToken.None);
        }
        var saved = new List<Job>(batch.Count);
        foreach (var (updated, transition, _) in batch)
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE jobs SET name = @Name, priority = @Priority, labels = @Labels, state = @State, cluster = @Cluster,
                    message = @Message, attempts = @Attempts, max_attempts = @MaxAttempts, started_at = @StartedAt,
                    finished_at = @FinishedAt, updated_at = @UpdatedAt, spark_ui_url = @SparkUiUrl,
                    backend_state = @BackendState, version = version + 1
                WHERE id = @Id AND version = @Version
                """,
                JobRow.From(updated), transaction));
            if (changed == 0)
            {
                throw new ConcurrencyException($"Job '{updated.Id}' changed since version {updated.Version} was read.");
            }
            if (transition is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO job_events (job_id, at, from_state, to_state, reason) VALUES (@JobId, @At, @From, @To, @Reason)",
                    new { transition.JobId, At = Time.ToDb(transition.At), From = transition.From?.ToString(), To = transition.To.ToString(), transition.Reason },
                    transaction));
            }
            saved.Add(updated with { Version = updated.Version + 1 });
        }
        if (database.Dialect.NotifySql is { } notify)
        {
            foreach (var id in batch.Select(c => c.Updated.Id).Distinct(StringComparer.Ordinal))
            {
                await connection.ExecuteAsync(new CommandDefinition(notify, new { payload = id }, transaction));
            }
        }
        return saved;
    }
}
