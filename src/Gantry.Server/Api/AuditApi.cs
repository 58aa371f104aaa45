using System.Globalization;
using Gantry.Server.Auth;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/audit</c> (admin): the trail of admin actions, newest first, filtered by
/// <c>actor</c>, <c>action</c> (<c>cluster.cordon</c>, or <c>cluster</c> for every action on clusters)
/// and <c>since</c> (an RFC 3339 time), paged with <c>limit</c> and <c>cursor</c> like the job list.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAudit").RequireAuthorization(GantryPolicies.Admin)
            .WithSummary("Admin actions, newest first: who, what, on what, when. Filters actor, action (or a resource: action=cluster), since (RFC 3339); limit and cursor.")
            .Produces<AuditListDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<Ok<AuditListDto>> ListAsync(HttpRequest request, IGantryStore store, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var cursor = QueryReader.String(request, "cursor");
        var query = new AuditQuery
        {
            Actor = QueryReader.String(request, "actor"),
            Action = QueryReader.String(request, "action"),
            Since = Since(request),
            Limit = QueryReader.Int(request, "limit", 1, options.Value.Limits.MaxPageSize) ?? 50,
            BeforeSeq = cursor is null ? null : Cursor.Decode(cursor),
        };
        var page = await store.Audit.ListAsync(query, cancellationToken);
        return TypedResults.Ok(new AuditListDto(
            page.Items.Select(AuditEntryDto.From).ToList(),
            page.NextBeforeSeq is { } next ? Cursor.Encode(next) : null));
    }

    private static DateTimeOffset? Since(HttpRequest request)
    {
        var text = QueryReader.String(request, "since");
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? since
            : throw RequestException.BadField("since", "must be a time such as 2026-01-31T12:00:00Z");
    }
}
