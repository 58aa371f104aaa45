using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// <c>POST /apis/authentication.k8s.io/v1/tokenreviews</c>: who a bearer token belongs to, for the
/// audiences the reviewer names (none: the API server's own). As in kube-apiserver, a token that is
/// not good for them is a 201 with <c>authenticated: false</c> and an error, never a 4xx.
/// </summary>
internal sealed class TokenReviewHandler(ClusterState state)
{
    public async Task HandleAsync(HttpContext context, CancellationToken ct)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var body = await JsonResponses.ReadObjectAsync(context.Request, ct);
        var token = ObjectMeta.Text(body["spec"]?["token"]);
        if (string.IsNullOrEmpty(token))
        {
            throw new ApiException(422, "Invalid", "TokenReview.authentication.k8s.io \"\" is invalid: spec.token: Required value: token must not be empty");
        }
        var audiences = (body["spec"]?["audiences"] as JsonArray ?? []).Select(a => ObjectMeta.Text(a) ?? "").Where(a => a.Length > 0).ToList();
        var result = state.Tokens.Review(token, audiences, state.Time.GetUtcNow());
        var status = new JsonObject();
        if (result.User is { } user)
        {
            var extra = new JsonObject();
            foreach (var (key, value) in result.Extra)
            {
                extra[key] = new JsonArray(value);
            }
            status["authenticated"] = true;
            status["user"] = new JsonObject
            {
                ["username"] = user.Name,
                ["uid"] = result.Uid,
                ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)JsonValue.Create(g))]),
                ["extra"] = extra,
            };
            status["audiences"] = new JsonArray([.. result.Audiences.Select(a => (JsonNode)JsonValue.Create(a))]);
        }
        else
        {
            status["user"] = new JsonObject();
            status["error"] = result.Error;
        }
        var spec = body["spec"]!.DeepClone().AsObject();
        spec.Remove("token");
        var answer = new JsonObject
        {
            ["kind"] = "TokenReview",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            // The token is not echoed: the answer may be logged where the token must not be.
            ["spec"] = spec,
            ["status"] = status,
        };
        await JsonResponses.WriteAsync(context, 201, answer, ct);
    }
}
