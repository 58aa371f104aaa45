using Gantry.Backends.Kubernetes.Management;
using Gantry.Core.Errors;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Identity;

/// <summary>
/// Asks the clusters whose issuer signed a token whether it is good for Gantry's audience: a
/// TokenReview with <c>audiences: [Gantry:Identity:Kubernetes:Audience]</c>, as KFP does. The
/// cluster checks signature, expiry, audience and revocation (a deleted pod or service account).
/// </summary>
public sealed partial class ServiceAccountReviewer(
    ClusterIssuers issuers, IClusterConnections connections, IOptions<GantryOptions> options, ILogger<ServiceAccountReviewer> logger)
{
    /// <summary>The service account, or why the token is refused; <c>Transient</c> when only unreachable clusters could have answered.</summary>
    public async Task<(ServiceAccountIdentity? Identity, string? Refusal, bool Transient)> ReviewAsync(string token, string issuer, CancellationToken cancellationToken)
    {
        var clusters = await issuers.ClustersOfAsync(issuer, cancellationToken);
        if (clusters.Count == 0)
        {
            return (null, $"The token's issuer '{issuer}' is not the service-account issuer of any registered cluster (nor the OIDC issuer).", false);
        }
        var audience = options.Value.Identity.Kubernetes.Audience;
        var refusals = new List<string>();
        var unreachable = 0;
        foreach (var cluster in clusters)
        {
            try
            {
                var status = await ReviewOnAsync(cluster, token, audience, cancellationToken);
                if (status.Authenticated != true || status.Audiences?.Contains(audience) != true)
                {
                    refusals.Add($"cluster {cluster} did not accept it for audience '{audience}': {status.Error ?? "no reason given"}");
                    continue;
                }
                if (Parse(cluster, status.User) is { } identity)
                {
                    return (identity, null, false);
                }
                refusals.Add($"cluster {cluster} says it belongs to '{status.User?.Username}', not a service account");
            }
            catch (Exception e) when (e is ClusterApiException or NotFoundException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // What failed is for the logs: the caller learns only that the cluster did not answer.
                LogReviewFailed(e, cluster);
                unreachable++;
                refusals.Add($"cluster {cluster} could not be asked (try again shortly)");
            }
        }
        return (null, "The token was refused: " + string.Join("; ", refusals) + ".", unreachable == clusters.Count);
    }

    private async Task<V1TokenReviewStatus> ReviewOnAsync(string cluster, string token, string audience, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(cluster, cancellationToken);
        using var client = await KubernetesApi.ConnectAsync(connection, TimeSpan.FromSeconds(options.Value.Kubernetes.RequestTimeoutSeconds), cancellationToken);
        var review = await KubernetesApi.CallAsync($"TokenReview on cluster {cluster}", () => client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token, Audiences = [audience] } }, cancellationToken: cancellationToken), cancellationToken);
        return review.Status ?? new V1TokenReviewStatus { Error = "the review came back without a status" };
    }

    [LoggerMessage(1808, LogLevel.Warning, "Could not ask cluster {Cluster} to review a service-account token")]
    private partial void LogReviewFailed(Exception exception, string cluster);

    private static ServiceAccountIdentity? Parse(string cluster, V1UserInfo? user)
    {
        // system:serviceaccount:NAMESPACE:NAME; neither part may hold ':'.
        var parts = user?.Username?.Split(':');
        return parts is ["system", "serviceaccount", { Length: > 0 } ns, { Length: > 0 } name]
            ? new ServiceAccountIdentity(cluster, ns, name, user!.Groups?.ToList() ?? [])
            : null;
    }
}
