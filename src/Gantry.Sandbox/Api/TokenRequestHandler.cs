using System.Text.Json.Nodes;
using Gantry.Sandbox.Auth;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// <c>POST .../serviceaccounts/{name}/token</c> (TokenRequest): a signed token for that account, for
/// the asked audiences (none: the API server's own), optionally bound to a Pod or Secret, whose
/// deletion then revokes it.
/// </summary>
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
        var audiences = (body["spec"]?["audiences"] as JsonArray ?? []).Select(a => ObjectMeta.Text(a) ?? "").Where(a => a.Length > 0).ToList();
        if (audiences.Count == 0)
        {
            audiences.Add(TokenRegistry.ApiAudience);
        }
        var boundTo = BoundObject(body["spec"]?["boundObjectRef"] as JsonObject, account);
        var now = state.Time.GetUtcNow();
        var expires = now.AddSeconds(seconds);
        var token = state.Tokens.Issue(account, audiences, now, expires, boundTo);
        var answer = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = account.Name(), ["namespace"] = account.Namespace(), ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)JsonValue.Create(a))]),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = body["spec"]?["boundObjectRef"]?.DeepClone(),
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ObjectMeta.Timestamp(expires) },
        };
        await JsonResponses.WriteAsync(context, 201, answer, ct);
    }

    /// <summary>The Pod or Secret the token is to be bound to, which must exist (with the uid given, if one is).</summary>
    private JsonObject? BoundObject(JsonObject? reference, JsonObject account)
    {
        if (reference is null)
        {
            return null;
        }
        var kind = ObjectMeta.Text(reference["kind"]);
        var type = kind switch
        {
            "Pod" => BuiltInTypes.Pods,
            "Secret" => BuiltInTypes.Secrets,
            _ => throw new ApiException(422, "Invalid",
                $"TokenRequest.authentication.k8s.io \"{account.Name()}\" is invalid: spec.boundObjectRef.kind: Unsupported value: \"{kind}\": supported values: \"Pod\", \"Secret\""),
        };
        var name = ObjectMeta.Text(reference["name"]) ?? "";
        var found = state.Store.Get(ObjectKey.For(type, account.Namespace(), name)) ?? throw ApiErrors.NotFound(type, name);
        if (ObjectMeta.Text(reference["uid"]) is { Length: > 0 } uid && uid != found.Uid())
        {
            throw new ApiException(409, "Conflict", $"the UID in the bound object reference ({uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }
        var bound = found.DeepClone().AsObject();
        bound["kind"] = kind;
        return bound;
    }
}
