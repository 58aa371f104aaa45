using Dapper;
using Gantry.Core.Audit;

namespace Gantry.Storage.Sql;

internal sealed class SqlAuditStore(SqlDatabase database) : IAuditStore
{
    private const string Columns = "seq, at, actor, action, target, detail";

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_events (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail)",
            new { at = Time.ToDb(entry.At), actor = entry.Actor, action = entry.Action, target = entry.Target, detail = entry.Detail },
            transaction, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.Actor is not null)
        {
            where.Add("actor = @actor");
            parameters.Add("actor", query.Actor);
        }
        if (query.Action is { } action)
        {
            if (action.Contains('.', StringComparison.Ordinal))
            {
                where.Add("action = @action");
                parameters.Add("action", action);
            }
            else
            {
                // A resource: every action on it. substr rather than LIKE, whose wildcards and case
                // rules differ between the two databases.
                var prefix = action + ".";
                where.Add("substr(action, 1, @prefixLength) = @prefix");
                parameters.Add("prefix", prefix);
                parameters.Add("prefixLength", prefix.Length);
            }
        }
        if (query.Since is { } since)
        {
            where.Add("at >= @since");
            parameters.Add("since", Time.ToDb(since));
        }
        if (query.BeforeSeq is { } before)
        {
            where.Add("seq < @before");
            parameters.Add("before", before);
        }
        parameters.Add("take", query.Limit + 1);
        var sql = $"SELECT {Columns} FROM audit_events"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY seq DESC LIMIT @take";

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var items = rows.Take(query.Limit).Select(r => r.ToEntry()).ToList();
        return new AuditPage(items, rows.Count > query.Limit ? items[^1].Seq : null);
    }

    private sealed class AuditRow
    {
        public long Seq { get; set; }
        public long At { get; set; }
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string Target { get; set; } = "";
        public string Detail { get; set; } = "";

        public AuditEntry ToEntry() => new(Seq, Time.FromDb(At), Actor, Action, Target, Detail);
    }
}
