using System.Text.Json.Nodes;
using Gantry.Sandbox.Auth;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary><c>POST selfsubjectaccessreviews</c>: "may I?", answered by the same RBAC evaluation every request gets.</summary>
internal sealed class AccessReviewHandler(RbacEvaluator rbac)
{
    public async Task HandleAsync(HttpContext context, RequestUser user, CancellationToken ct)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }
        var body = await JsonResponses.ReadObjectAsync(context.Request, ct);
        var (allowed, reason) = body["spec"]?["resourceAttributes"] is JsonObject attributes
            ? rbac.Check(user, Read(attributes))
            : body["spec"]?["nonResourceAttributes"] is JsonObject
                ? (true, "non-resource URLs are open to every authenticated user in the sandbox")
                : throw ApiErrors.BadRequest("spec.resourceAttributes or spec.nonResourceAttributes is required");
        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }
        var answer = new JsonObject
        {
            ["kind"] = "SelfSubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
            ["spec"] = body["spec"]?.DeepClone(),
            ["status"] = status,
        };
        await JsonResponses.WriteAsync(context, 201, answer, ct);
    }

    private static ResourceAttributes Read(JsonObject attributes)
    {
        string? Text(string name) => ObjectMeta.Text(attributes[name]) is { Length: > 0 } value ? value : null;
        return new ResourceAttributes(Text("verb") ?? "", Text("group") ?? "", Text("resource") ?? "", Text("subresource"), Text("namespace"), Text("name"));
    }
}
