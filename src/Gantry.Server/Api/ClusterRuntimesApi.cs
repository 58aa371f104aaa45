using Gantry.Core.Errors;
using Gantry.Server.Clusters;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Api;

/// <summary><c>GET /api/v1/clusters/{name}/runtimes</c>: the Kubeflow Trainer runtimes a TrainJob may name there.</summary>
public static class ClusterRuntimesApi
{
    public static RouteGroupBuilder MapClusterRuntimesApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/clusters").WithTags("Clusters")
            .MapGet("/{name}/runtimes", ListAsync).WithName("ListClusterRuntimes")
            .WithSummary("The ClusterTrainingRuntimes and TrainingRuntimes the cluster has (the local cluster: its built-in ones), as last listed or watched.")
            .Produces<RuntimeListDto>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<RuntimeListDto>> ListAsync(string name, IGantryStore store, ClusterViews views, CancellationToken cancellationToken)
    {
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        var status = await views.StatusAsync(cluster, cancellationToken);
        var items = status.Runtimes
            .OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(RuntimeDto.From)
            .ToList();
        return TypedResults.Ok(new RuntimeListDto(cluster.Name, status.TrainerApi, items));
    }
}
