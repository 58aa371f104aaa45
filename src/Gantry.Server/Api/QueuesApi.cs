using System.Security.Claims;
using Gantry.Core.Audit;
using Gantry.Core.Errors;
using Gantry.Core.Queues;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Server.Scheduling;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/queues</c>: GET / and GET /{name} for everyone; POST /, PUT /{name} and
/// DELETE /{name} for admins. Each queue comes with its usage and, from the scheduler's last
/// round, its fair share against its entitlement.
/// </summary>
public static class QueuesApi
{
    public static RouteGroupBuilder MapQueuesApi(this RouteGroupBuilder api)
    {
        var queues = api.MapGroup("/queues").WithTags("Queues");
        queues.MapGet("/", ListAsync).WithName("ListQueues").WithSummary("Every queue with its settings and current usage.");
        queues.MapGet("/{name}", GetAsync).WithName("GetQueue");
        queues.MapPost("/", CreateAsync).WithName("CreateQueue").RequireAuthorization(GantryPolicies.Admin)
            .Accepts<QueueRequest>("application/json").Produces<QueueDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapPut("/{name}", UpdateAsync).WithName("UpdateQueue").RequireAuthorization(GantryPolicies.Admin)
            .Accepts<QueueRequest>("application/json").Produces<QueueDto>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapDelete("/{name}", DeleteAsync).WithName("DeleteQueue").RequireAuthorization(GantryPolicies.Admin);
        return api;
    }

    private static async Task<Ok<QueueListDto>> ListAsync(IGantryStore store, QueueUsageReader usage, LastRound lastRound, CancellationToken cancellationToken)
    {
        var usages = await usage.ReadAsync(cancellationToken);
        var queues = await store.Queues.ListAsync(cancellationToken);
        var shares = FairShareDto.FromLastRound(lastRound);
        return TypedResults.Ok(new QueueListDto(queues
            .Select(q => QueueDto.From(q, usages.GetValueOrDefault(q.Name) ?? QueueUsageDto.Empty) with { FairShare = shares.GetValueOrDefault(q.Name) })
            .ToList()));
    }

    private static async Task<Ok<QueueDto>> GetAsync(string name, IGantryStore store, QueueUsageReader usage, LastRound lastRound, CancellationToken cancellationToken)
    {
        var queue = await store.Queues.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Queue", name);
        var usages = await usage.ReadAsync(cancellationToken);
        return TypedResults.Ok(QueueDto.From(queue, usages.GetValueOrDefault(name) ?? QueueUsageDto.Empty) with
        {
            FairShare = FairShareDto.FromLastRound(lastRound).GetValueOrDefault(name),
        });
    }

    private static async Task<Created<QueueDto>> CreateAsync(
        HttpRequest request, ClaimsPrincipal caller, IGantryStore store, AuditTrail audit, IOptions<GantryOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var queue = QueueRequestReader.Read(body, null, time.GetUtcNow(), options.Value.Limits.Document);
        await store.Queues.CreateAsync(queue, cancellationToken);
        await audit.RecordAsync(caller, AuditActions.QueueCreate, queue.Name, AuditDetails.Queue(queue));
        return TypedResults.Created($"/api/v1/queues/{queue.Name}", QueueDto.From(queue, QueueUsageDto.Empty));
    }

    private static async Task<Ok<QueueDto>> UpdateAsync(
        string name, HttpRequest request, ClaimsPrincipal caller, IGantryStore store, QueueUsageReader usage, JobSubmitter submitter, AuditTrail audit,
        IOptions<GantryOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = await store.Queues.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Queue", name);
        var body = await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var queue = QueueRequestReader.Read(body, name, time.GetUtcNow(), options.Value.Limits.Document) with { CreatedAt = existing.CreatedAt };
        await store.Queues.UpdateAsync(queue, cancellationToken);
        // Its access lists apply from the next submission here (other replicas: within the cache's 5 s).
        submitter.ForgetQueue(name);
        await audit.RecordAsync(caller, AuditActions.QueueUpdate, name, AuditDetails.Queue(queue));
        var usages = await usage.ReadAsync(cancellationToken);
        return TypedResults.Ok(QueueDto.From(queue, usages.GetValueOrDefault(name) ?? QueueUsageDto.Empty));
    }

    private static async Task<NoContent> DeleteAsync(
        string name, ClaimsPrincipal caller, IGantryStore store, JobSubmitter submitter, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (name == Queue.DefaultName)
        {
            throw new ConflictException("The default queue cannot be deleted: submissions without a queue go there.");
        }
        await store.Queues.DeleteAsync(name, cancellationToken);
        submitter.ForgetQueue(name);
        await audit.RecordAsync(caller, AuditActions.QueueDelete, name);
        return TypedResults.NoContent();
    }
}

public sealed record QueueListDto(IReadOnlyList<QueueDto> Items);

/// <summary>A queue definition as sent by an admin (for the OpenAPI document).</summary>
public sealed record QueueRequest(
    string? Name, double? Weight, int? Priority, QuotaDto? Quota, IReadOnlyDictionary<string, string>? ClusterSelector,
    IReadOnlyDictionary<string, string>? Affinity, string? Policy, IReadOnlyList<string>? AllowedUsers, IReadOnlyList<string>? AllowedGroups);
