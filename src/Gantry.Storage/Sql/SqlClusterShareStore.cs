using System.Data.Common;
using Dapper;
using Gantry.Core.Clusters;
using Gantry.Core.Errors;

namespace Gantry.Storage.Sql;

internal sealed class SqlClusterShareStore(SqlDatabase database) : IClusterShareStore
{
    private const string Columns = "cluster, user_name, namespace, service_account, created_at";

    public async Task PutAsync(ClusterShare share, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO cluster_shares ({Columns}) VALUES (@cluster, @user, @ns, @serviceAccount, @createdAt)
                ON CONFLICT (cluster, user_name) DO UPDATE SET namespace = excluded.namespace, service_account = excluded.service_account
                """,
                new { cluster = share.Cluster, user = share.User, ns = share.Namespace, serviceAccount = share.ServiceAccount, createdAt = Time.ToDb(share.CreatedAt) },
                transaction, cancellationToken: cancellationToken)), cancellationToken);
        }
        catch (DbException ex) when (database.Dialect.IsForeignKeyViolation(ex))
        {
            throw new NotFoundException("Cluster", share.Cluster);
        }
    }

    public async Task<ClusterShare?> GetAsync(string cluster, string user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ShareRow>(new CommandDefinition(
            $"SELECT {Columns} FROM cluster_shares WHERE cluster = @cluster AND user_name = @user",
            new { cluster, user }, cancellationToken: cancellationToken));
        return row?.ToShare();
    }

    public async Task<IReadOnlyList<ClusterShare>> ListAsync(string? cluster, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ShareRow>(new CommandDefinition(
            cluster is null
                ? $"SELECT {Columns} FROM cluster_shares ORDER BY cluster, user_name"
                : $"SELECT {Columns} FROM cluster_shares WHERE cluster = @cluster ORDER BY user_name",
            new { cluster }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToShare()).ToList();
    }

    public async Task<bool> RemoveAsync(string cluster, string user, CancellationToken cancellationToken) =>
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM cluster_shares WHERE cluster = @cluster AND user_name = @user",
            new { cluster, user }, transaction, cancellationToken: cancellationToken)), cancellationToken) > 0;

    private sealed class ShareRow
    {
        public string Cluster { get; set; } = "";
        public string UserName { get; set; } = "";
        public string Namespace { get; set; } = "";
        public string ServiceAccount { get; set; } = "";
        public long CreatedAt { get; set; }

        public ClusterShare ToShare() => new()
        {
            Cluster = Cluster,
            User = UserName,
            Namespace = Namespace,
            ServiceAccount = ServiceAccount,
            CreatedAt = Time.FromDb(CreatedAt),
        };
    }
}
