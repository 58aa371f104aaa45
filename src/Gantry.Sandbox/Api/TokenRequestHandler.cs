using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary><c>POST .../serviceaccounts/{name}/token</c> (TokenRequest): a bearer token the sandbox then accepts for that account.</summary>
internal sealed class TokenRequestHandler(ClusterState state)
{
    private const long DefaultSeconds = 3600;
    private const long MinimumSeconds = 600;

    public async Task HandleAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var account = state.Store.Get(ObjectKey.For(BuiltInTypes.ServiceAccounts, target.Namespace, target.Name!))
            ?? throw ApiErrors.NotFound(BuiltInTypes.ServiceAccounts, target.Name!);
        var body = await JsonResponses.ReadObjectAsync(context.Request, ct);
        var seconds = body["spec"]?["expirationSeconds"] is JsonValue v && v.TryGetValue<long>(out var requested) ? requested : DefaultSeconds;
        if (seconds < MinimumSeconds)
        {
            throw new ApiException(422, "Invalid", $"TokenRequest.authentication.k8s.io \"{account.Name()}\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less than 10 minutes");
        }
        var expires = state.Time.GetUtcNow().AddSeconds(seconds);
        var token = state.Tokens.Issue(account.Namespace(), account.Name(), expires);
        var answer = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = account.Name(), ["namespace"] = account.Namespace(), ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = body["spec"]?["audiences"]?.DeepClone() ?? new JsonArray("https://kubernetes.default.svc"),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = body["spec"]?["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ObjectMeta.Timestamp(expires) },
        };
        await JsonResponses.WriteAsync(context, 201, answer, ct);
    }
}
