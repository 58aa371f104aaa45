using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/clusters/{name}/shares</c>, admins only: POST / shares the cluster with a user
/// (namespace, service account, role binding; answers their kubeconfig), GET / lists the
/// shares, DELETE /{user} revokes one.
/// </summary>
public static class ClusterSharesApi
{
    public static RouteGroupBuilder MapClusterSharesApi(this RouteGroupBuilder api)
    {
        var shares = api.MapGroup("/clusters/{name}/shares").WithTags("Clusters").RequireAuthorization(GantryPolicies.Admin);
        shares.MapPost("/", ShareAsync).WithName("ShareCluster")
            .WithSummary("Share the cluster with a user: creates their namespace, service account, Role and RoleBinding, and answers a kubeconfig with a fresh token. Repeating it is safe.")
            .Accepts<ShareRequest>("application/json").Produces<IssuedShareDto>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status502BadGateway);
        shares.MapGet("/", ListAsync).WithName("ListClusterShares").WithSummary("The users the cluster is shared with and their namespaces.");
        shares.MapDelete("/{user}", UnshareAsync).WithName("UnshareCluster")
            .WithSummary("Revoke a share: deletes the user's role binding and service account (their tokens stop working); the namespace stays.")
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return api;
    }

    private static async Task<Ok<IssuedShareDto>> ShareAsync(
        string name, HttpRequest request, ClusterSharing sharing, IOptions<GantryOptions> options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var asked = ShareRequestReader.Read(body, options.Value.Limits.Document);
        var (share, token, kubeconfig) = await sharing.ShareAsync(name, asked.User, asked.Namespace, asked.ExpirationSeconds, cancellationToken);
        return TypedResults.Ok(new IssuedShareDto(share.Cluster, share.User, share.Namespace, share.ServiceAccount, share.CreatedAt, token.ExpiresAt, kubeconfig));
    }

    private static async Task<Ok<ShareListDto>> ListAsync(string name, ClusterSharing sharing, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ShareListDto((await sharing.ListAsync(name, cancellationToken)).Select(ShareDto.From).ToList()));

    private static async Task<NoContent> UnshareAsync(string name, string user, ClusterSharing sharing, CancellationToken cancellationToken)
    {
        await sharing.UnshareAsync(name, user, cancellationToken);
        return TypedResults.NoContent();
    }
}
