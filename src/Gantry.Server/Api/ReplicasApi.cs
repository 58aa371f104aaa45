using Gantry.Server.Auth;
using Gantry.Server.Replication;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Api;

/// <summary><c>/api/v1/replicas</c> (admin): every gateway process sharing the database, and which one leads.</summary>
public static class ReplicasApi
{
    public static RouteGroupBuilder MapReplicasApi(this RouteGroupBuilder api)
    {
        api.MapGet("/replicas", ListAsync).WithTags("Replicas").WithName("ListReplicas")
            .WithSummary("Each gateway replica: id, host, version, started, last heartbeat, whether it leads, and the lease epoch.")
            .RequireAuthorization(GantryPolicies.Admin);
        return api;
    }

    private static async Task<Ok<ReplicaListDto>> ListAsync(IGantryStore store, CancellationToken cancellationToken)
    {
        var replicas = await store.Replicas.ListAsync(cancellationToken);
        var lease = await store.Leases.GetAsync(LeaderElector.LeaseName, cancellationToken);
        // Judged by the database's clock, the one that judges the lease.
        var now = await store.Leases.NowAsync(cancellationToken);
        var held = lease is not null && lease.ExpiresAt > now ? lease : null;
        var items = replicas
            .Select(r => new ReplicaDto(r.Id, r.Host, r.Version, r.StartedAt, r.HeartbeatAt, r.Id == held?.Holder, r.Id == held?.Holder ? held.Epoch : null) { Url = r.Url })
            .ToList();
        return TypedResults.Ok(new ReplicaListDto(items, held?.Holder, held?.Epoch, held?.ExpiresAt));
    }
}
