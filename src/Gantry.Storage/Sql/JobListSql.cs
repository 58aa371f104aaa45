using Dapper;
using Gantry.Core.Jobs;
using Gantry.Core.Labels;

namespace Gantry.Storage.Sql;

/// <summary>
/// The SELECT for one page of a job list: the query's filters as a WHERE clause with their
/// parameters (labels through the dialect's JSON lookups), newest first, one row more than the
/// page to tell whether another follows.
/// </summary>
internal static class JobListSql
{
    public static (string Sql, DynamicParameters Parameters) For(JobQuery query, SqlDialect dialect)
    {
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (query.States.Count > 0)
        {
            where.Add(dialect.InListSql("state", "@states"));
            parameters.Add("states", query.States.Select(s => s.ToString()).ToArray());
        }
        AddEquals(where, parameters, "queue", query.Queue);
        AddEquals(where, parameters, "owner", query.Owner);
        if (query.Kind is not null)
        {
            // A handful of kinds: the kind index is worth walking only when no narrower filter has
            // one. "kind || ''" hides it from the planner (both databases), which without
            // statistics would otherwise take it over the owner's or the state's.
            var narrower = query.Owner is not null || query.Queue is not null || query.States.Count > 0 || query.Cluster is not null;
            where.Add(narrower ? "kind || '' = @kind" : "kind = @kind");
            parameters.Add("kind", query.Kind);
        }
        AddEquals(where, parameters, "cluster", query.Cluster);
        if (query.BeforeSeq is { } before)
        {
            where.Add("seq < @before");
            parameters.Add("before", before);
        }
        AddLabels(where, parameters, query.Labels, dialect);
        parameters.Add("take", query.Limit + 1);
        var sql = $"SELECT {JobRow.Columns} FROM jobs"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY seq DESC LIMIT @take";
        return (sql, parameters);
    }

    private static void AddEquals(List<string> where, DynamicParameters parameters, string column, string? value)
    {
        if (value is not null)
        {
            where.Add($"{column} = @{column}");
            parameters.Add(column, value);
        }
    }

    private static void AddLabels(List<string> where, DynamicParameters parameters, LabelSelector selector, SqlDialect dialect)
    {
        for (var i = 0; i < selector.Requirements.Count; i++)
        {
            var r = selector.Requirements[i];
            var key = $"@lk{i}";
            var value = dialect.LabelValueSql(key);
            parameters.Add($"lk{i}", dialect.LabelParameter(r.Key));
            if (r.Operator is LabelOperator.In or LabelOperator.NotIn)
            {
                parameters.Add($"lv{i}x", r.Values.ToArray());
            }
            where.Add(r.Operator switch
            {
                LabelOperator.Equals => $"{value} = @lone{i}",
                LabelOperator.NotEquals => $"({value} IS NULL OR {value} <> @lone{i})",
                LabelOperator.Exists => $"{value} IS NOT NULL",
                LabelOperator.DoesNotExist => $"{value} IS NULL",
                LabelOperator.In => dialect.InListSql(value, $"@lv{i}x"),
                LabelOperator.NotIn => $"({value} IS NULL OR {dialect.InListSql(value, $"@lv{i}x", negate: true)})",
                _ => throw new ArgumentOutOfRangeException(nameof(selector)),
            });
            if (r.Values.Count > 0)
            {
                parameters.Add($"lone{i}", r.Values[0]);
            }
        }
    }
}
