using Gantry.Core.Jobs;
using Gantry.Core.Labels;
using Gantry.Server.Auth;
using Gantry.Storage;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>The job list's filters from the query string, shared by <c>GET /jobs</c> and <c>GET /jobs/watch</c>.</summary>
internal static class JobQueryReader
{
    /// <summary>A user sees only their own jobs; only an admin may name another owner.</summary>
    public static JobQuery Read(HttpRequest request, Caller caller, int maxPageSize)
    {
        var owner = QueryReader.Owner(request, caller, "jobs");
        var cursor = QueryReader.String(request, "cursor");
        return new JobQuery
        {
            States = QueryReader.Enums<JobState>(request, "state"),
            Queue = QueryReader.String(request, "queue"),
            Owner = owner,
            Kind = QueryReader.String(request, "kind"),
            Cluster = QueryReader.String(request, "cluster"),
            Labels = LabelSelectorParam(request),
            Limit = QueryReader.Int(request, "limit", 1, maxPageSize) ?? 50,
            BeforeSeq = cursor is null ? null : Cursor.Decode(cursor),
        };
    }

    private static LabelSelector LabelSelectorParam(HttpRequest request)
    {
        try
        {
            return LabelSelector.Parse(QueryReader.String(request, "labelSelector"));
        }
        catch (Core.Errors.ValidationException ex)
        {
            throw RequestException.BadField("labelSelector", ex.Errors.Values.First()[0]);
        }
    }
}
