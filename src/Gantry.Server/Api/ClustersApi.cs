using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/clusters</c>: GET / and GET /{name} for everyone (admins also see where each
/// connection points); for admins POST / (server URL and token), POST /import (a kubeconfig),
/// PATCH /{name} (labels), DELETE /{name}, POST /{name}/test, POST /{name}/cordon and
/// /{name}/uncordon. Shares are in <see cref="ClusterSharesApi"/>.
/// </summary>
public static class ClustersApi
{
    public static RouteGroupBuilder MapClustersApi(this RouteGroupBuilder api)
    {
        var clusters = api.MapGroup("/clusters").WithTags("Clusters");
        clusters.MapGet("/", ListAsync).WithName("ListClusters").WithSummary("Every cluster with its health, capacity and free capacity.");
        clusters.MapGet("/{name}", GetAsync).WithName("GetCluster");
        clusters.MapPost("/", AddAsync).WithName("AddCluster").RequireAuthorization(GantryPolicies.Admin)
            .WithSummary("Register a Kubernetes cluster by server URL and token; the credential is stored encrypted and never shown again.")
            .Accepts<AddClusterRequest>("application/json").Produces<ClusterDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict);
        clusters.MapPost("/import", ImportAsync).WithName("ImportClusters").RequireAuthorization(GantryPolicies.Admin)
            .WithSummary("Register one cluster per context of a kubeconfig (YAML or JSON; token, client certificate or exec users). Body: {kubeconfig, contexts?, rename?, labels?}, or the bare kubeconfig with ?context=NAME.")
            .AddOpenApiOperationTransformer(ImportClusterRequest.DescribeAsync).Produces<ImportResultDto>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest);
        clusters.MapPost("/{name}/test", TestAsync).WithName("TestCluster").RequireAuthorization(GantryPolicies.Admin)
            .WithSummary("Reach the cluster and check what Gantry needs: API server version, operators installed, and each right (SelfSubjectAccessReview).")
            .Produces<ClusterTestDto>();
        clusters.MapPatch("/{name}", SetLabelsAsync).WithName("LabelCluster").RequireAuthorization(GantryPolicies.Admin)
            .WithSummary("Change labels as a JSON merge patch: {\"labels\": {\"gpu\": \"a100\", \"old\": null}}.")
            .Accepts<LabelClusterRequest>("application/json").ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        clusters.MapDelete("/{name}", RemoveAsync).WithName("RemoveCluster").RequireAuthorization(GantryPolicies.Admin)
            .WithSummary("Forget the cluster and its shares; refused (409) while jobs run there: cordon it instead.")
            .ProducesProblem(StatusCodes.Status409Conflict);
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

    private static async Task<Ok<ClusterListDto>> ListAsync(HttpContext http, ClusterViews views, IClusterConnections connections, CancellationToken cancellationToken)
    {
        var admin = Caller.From(http.User).IsAdmin;
        var items = new List<ClusterDto>();
        foreach (var (cluster, status) in await views.ListAsync(cancellationToken))
        {
            items.Add(ClusterDto.From(cluster, status, admin ? await SummaryAsync(cluster, connections, cancellationToken) : null));
        }
        return TypedResults.Ok(new ClusterListDto(items));
    }

    private static async Task<Ok<ClusterDto>> GetAsync(
        string name, HttpContext http, IGantryStore store, ClusterViews views, IClusterConnections connections, CancellationToken cancellationToken)
    {
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        var summary = Caller.From(http.User).IsAdmin ? await SummaryAsync(cluster, connections, cancellationToken) : null;
        return TypedResults.Ok(ClusterDto.From(cluster, views.StatusOf(cluster), summary));
    }

    private static async Task<Created<ClusterDto>> AddAsync(
        HttpRequest request, ClusterRegistrar registrar, ClusterViews views, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var (name, labels, connection) = ClusterRequestReader.Read(body, options.Value.Limits.Document);
        var cluster = await registrar.AddAsync(name, labels, connection, cancellationToken);
        return TypedResults.Created($"/api/v1/clusters/{cluster.Name}", ClusterDto.From(cluster, views.StatusOf(cluster), ConnectionSummaryDto.From(connection)));
    }

    private static async Task<Ok<ImportResultDto>> ImportAsync(
        HttpRequest request, ClusterImporter importer, ClusterViews views, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var result = await importer.ImportAsync(ImportRequestReader.Read(body, request.Query, options.Value.Limits), cancellationToken);
        return TypedResults.Ok(new ImportResultDto(
            result.Imported.Select(i => ClusterDto.From(i.Cluster, views.StatusOf(i.Cluster), ConnectionSummaryDto.From(i.Connection))).ToList(),
            result.Errors));
    }

    private static async Task<Ok<ClusterTestDto>> TestAsync(string name, ClusterTester tester, CancellationToken cancellationToken) =>
        TypedResults.Ok(ClusterTestDto.From(name, await tester.TestAsync(name, cancellationToken)));

    private static async Task<Ok<ClusterDto>> SetLabelsAsync(
        string name, HttpRequest request, IGantryStore store, ClusterViews views, JobChangeNotifier notifier, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        var body = await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var labels = LabelsRequestReader.Apply(body, cluster.Labels, options.Value.Limits.Document);
        await store.Clusters.SetLabelsAsync(name, labels, cancellationToken);
        // Queue selectors match labels: a change may move where queued jobs can go.
        notifier.Wake();
        cluster = cluster with { Labels = labels };
        return TypedResults.Ok(ClusterDto.From(cluster, views.StatusOf(cluster)));
    }

    private static async Task<NoContent> RemoveAsync(string name, ClusterRegistrar registrar, CancellationToken cancellationToken)
    {
        await registrar.RemoveAsync(name, cancellationToken);
        return TypedResults.NoContent();
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

    private static async Task<ConnectionSummaryDto?> SummaryAsync(Cluster cluster, IClusterConnections connections, CancellationToken cancellationToken) =>
        cluster.Type == ClusterTypes.Kubernetes ? ConnectionSummaryDto.From(await connections.GetAsync(cluster.Name, cancellationToken)) : null;
}

public sealed record ClusterListDto(IReadOnlyList<ClusterDto> Items);

/// <summary>A cluster registered by server URL and token (for the OpenAPI document).</summary>
public sealed record AddClusterRequest(
    string Name, string Server, string Token, string? CertificateAuthorityData, bool? InsecureSkipTlsVerify, string? TlsServerName,
    string? Namespace, IReadOnlyDictionary<string, string>? Labels);

/// <summary>Labels to set (a string) or remove (null).</summary>
public sealed record LabelClusterRequest(IReadOnlyDictionary<string, string?> Labels);
