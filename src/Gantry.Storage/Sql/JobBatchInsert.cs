using System.Data.Common;
using Dapper;
using Gantry.Core.Errors;
using Gantry.Core.Jobs;

namespace Gantry.Storage.Sql;

/// <summary>
/// Writes one group-commit batch of submissions in the caller's transaction: each job with its
/// first event, or, for an Idempotency-Key already claimed, the job that claimed it (a key reused
/// for a different request is a conflict).
/// </summary>
internal static class JobBatchInsert
{
    /// <summary>One group-commit batch, in the caller's transaction; the insert commands are prepared once for the batch.</summary>
    public static async Task<IReadOnlyList<SubmitOutcome>> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<NewJob> batch)
    {
        await using var commands = new JobInsertCommands(connection, transaction);
        var outcomes = new List<SubmitOutcome>(batch.Count);
        foreach (var submission in batch)
        {
            outcomes.Add(await InsertOneAsync(connection, transaction, commands, submission));
        }
        return outcomes;
    }

    private static async Task<SubmitOutcome> InsertOneAsync(DbConnection connection, DbTransaction transaction, JobInsertCommands commands, NewJob submission)
    {
        var job = submission.Job;
        if (submission.IdempotencyKey is { } key)
        {
            var first = await FindByKeyAsync(connection, transaction, job.Owner, key, submission.RequestHash ?? "");
            if (first is not null)
            {
                return new SubmitOutcome(first, Created: false);
            }
            var claimed = await connection.ExecuteAsync(
                "INSERT INTO idempotency_keys (owner, idem_key, job_id, request_hash, created_at) VALUES (@owner, @key, @id, @hash, @at) ON CONFLICT DO NOTHING",
                new { owner = job.Owner, key, id = job.Id, hash = submission.RequestHash ?? "", at = Time.ToDb(job.CreatedAt) }, transaction);
            if (claimed == 0)
            {
                // Another replica claimed the key between our read and our insert.
                first = await FindByKeyAsync(connection, transaction, job.Owner, key, submission.RequestHash ?? "");
                return new SubmitOutcome(first!, Created: false);
            }
        }
        var seq = await commands.InsertJobAsync(job);
        await commands.InsertEventAsync(new JobEvent(job.Id, job.CreatedAt, null, job.State, job.Message));
        return new SubmitOutcome(job with { Seq = seq }, Created: true);
    }

    private static async Task<Job?> FindByKeyAsync(DbConnection connection, DbTransaction transaction, string owner, string key, string hash)
    {
        var claim = await connection.QuerySingleOrDefaultAsync<(string JobId, string RequestHash)?>(
            "SELECT job_id, request_hash FROM idempotency_keys WHERE owner = @owner AND idem_key = @key",
            new { owner, key }, transaction);
        if (claim is null)
        {
            return null;
        }
        if (claim.Value.RequestHash != hash)
        {
            throw new ConflictException($"Idempotency-Key '{key}' was already used for a different request (job {claim.Value.JobId}).");
        }
        return await SqlJobStore.GetAsync(connection, transaction, claim.Value.JobId, CancellationToken.None);
    }
}
