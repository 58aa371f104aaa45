using System.Text.Json.Nodes;
using Gantry.Sandbox.Auth;
using Gantry.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// <c>GET /sandbox/v1/creations[?jobId=ID]</c>: how many custom resources were ever created per
/// <c>gantry.io/job-id</c> on this cluster, deleted ones included, so a test can prove a job got one
/// copy. Not a Kubernetes API: cluster admins only (the kubeconfig's admin token; kubectl get --raw).
/// </summary>
internal sealed class CreationsHandler(ClusterState state)
{
    public const string Path = "/sandbox/v1/creations";

    public async Task HandleAsync(HttpContext context, RequestUser user, CancellationToken ct)
    {
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            throw ApiErrors.MethodNotAllowed();
        }
        if (!user.IsClusterAdmin)
        {
            throw new ApiException(403, "Forbidden", $"User \"{user.Name}\" cannot get path \"{Path}\": only cluster admins (group system:masters) may read the sandbox's creation counts");
        }
        var jobId = context.Request.Query["jobId"].ToString();
        var items = new JsonArray();
        foreach (var (id, resources) in state.Store.Creations.Read(jobId.Length > 0 ? jobId : null))
        {
            items.Add(new JsonObject
            {
                ["jobId"] = id,
                ["count"] = resources.Count,
                ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
            });
        }
        var answer = new JsonObject
        {
            ["kind"] = "CreationCounts",
            ["apiVersion"] = "sandbox.gantry.io/v1",
            ["cluster"] = state.Options.Name,
            ["items"] = items,
        };
        await JsonResponses.WriteAsync(context, 200, answer, ct);
    }
}
