namespace Gantry.Storage;

/// <summary>Each job's own token, by hash: one per job, replaced when the job is dispatched again.</summary>
public interface IJobTokenStore
{
    Task SetAsync(string jobId, string tokenHash, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>The id of the job a token hash belongs to, or null.</summary>
    Task<string?> FindJobAsync(string tokenHash, CancellationToken cancellationToken);
}
