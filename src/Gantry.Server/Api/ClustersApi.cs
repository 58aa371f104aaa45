using Gantry.Core.Errors;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Jobs;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/clusters</c>: GET / and GET /{name} for everyone; POST /{name}/cordon and
/// /{name}/uncordon for admins. Importing and testing Kubernetes clusters comes with that backend.
/// </summary>
public static class ClustersApi
{
    public static RouteGroupBuilder MapClustersApi(this RouteGroupBuilder api)
    {
        var clusters = api.MapGroup("/clusters").WithTags("Clusters");
        clusters.MapGet("/", ListAsync).WithName("ListClusters").WithSummary("Every cluster with its health, capacity and free capacity.");
        clusters.MapGet("/{name}", GetAsync).WithName("GetCluster");
        clusters.MapPost("/{name}/cordon", (string name, IGantryStore store, ClusterViews views, JobChangeNotifier notifier, CancellationToken ct) =>
                SetCordonAsync(name, true, store, views, notifier, ct))
            .WithName("CordonCluster").WithSummary("Stop placing new jobs on the cluster; running jobs go on.")
            .RequireAuthorization(GantryPolicies.Admin);
        clusters.MapPost("/{name}/uncordon", (string name, IGantryStore store, ClusterViews views, JobChangeNotifier notifier, CancellationToken ct) =>
                SetCordonAsync(name, false, store, views, notifier, ct))
            .WithName("UncordonCluster").WithSummary("Place jobs on the cluster again.")
            .RequireAuthorization(GantryPolicies.Admin);
        return api;
    }

    private static async Task<Ok<ClusterListDto>> ListAsync(ClusterViews views, CancellationToken cancellationToken)
    {
        var clusters = await views.ListAsync(cancellationToken);
        return TypedResults.Ok(new ClusterListDto(clusters.Select(c => ClusterDto.From(c.Cluster, c.Status)).ToList()));
    }

    private static async Task<Ok<ClusterDto>> GetAsync(string name, IGantryStore store, ClusterViews views, CancellationToken cancellationToken)
    {
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        return TypedResults.Ok(ClusterDto.From(cluster, views.StatusOf(cluster)));
    }

    private static async Task<Ok<ClusterDto>> SetCordonAsync(
        string name, bool cordoned, IGantryStore store, ClusterViews views, JobChangeNotifier notifier, CancellationToken cancellationToken)
    {
        await store.Clusters.SetCordonedAsync(name, cordoned, cancellationToken);
        // Wake the scheduler: queued jobs may now be placed, or now wait for a new reason.
        notifier.Wake();
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        return TypedResults.Ok(ClusterDto.From(cluster, views.StatusOf(cluster)));
    }
}
