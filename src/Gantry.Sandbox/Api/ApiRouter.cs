using System.Text.Json.Nodes;
using Gantry.Sandbox.Auth;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// Routes a request by its path the way kube-apiserver lays out URLs: discovery documents, then
/// resource URLs under <c>/api/v1</c> and <c>/apis/{group}/{version}</c>, each authorized by RBAC.
/// </summary>
internal sealed class ApiRouter(
    ClusterState state,
    RbacEvaluator rbac,
    ResourceHandler resources,
    PodLogHandler logs,
    ServiceProxyHandler proxy,
    TokenRequestHandler tokens,
    AccessReviewHandler reviews,
    TokenReviewHandler tokenReviews,
    CreationsHandler creations)
{
    public async Task HandleAsync(HttpContext context, RequestUser user, CancellationToken ct)
    {
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["sandbox", "v1", "creations"])
        {
            await creations.HandleAsync(context, user, ct);
            return;
        }
        if (DiscoveryAnswer(context, segments) is { } document)
        {
            await JsonResponses.WriteAsync(context, 200, document, ct);
            return;
        }
        var (group, version, rest) = segments switch
        {
            ["api", var v, .. var r] => ("", v, r),
            ["apis", var g, var v, .. var r] => (g, v, r),
            _ => throw ApiErrors.PathNotFound(),
        };
        var target = ApiTarget.Parse(state.Catalog, group, version, rest) ?? throw ApiErrors.PathNotFound();
        Authorize(user, Attributes(context, target));
        await DispatchAsync(context, target, user, ct);
    }

    private Task DispatchAsync(HttpContext context, ApiTarget target, RequestUser user, CancellationToken ct) => (target.Type.Plural, target.Subresource) switch
    {
        ("pods", "log") => logs.HandleAsync(context, target, ct),
        ("services", "proxy") => proxy.HandleAsync(context, target, ct),
        ("serviceaccounts", "token") => tokens.HandleAsync(context, target, ct),
        ("selfsubjectaccessreviews", null) => reviews.HandleAsync(context, user, ct),
        ("tokenreviews", null) => tokenReviews.HandleAsync(context, ct),
        _ => resources.HandleAsync(context, target, ct),
    };

    private JsonObject? DiscoveryAnswer(HttpContext context, string[] segments) => segments switch
    {
        ["version"] => Discovery.Version(),
        ["api"] => Discovery.CoreVersions($"{context.Request.Host}"),
        ["api", var v] => Discovery.Resources(state.Catalog, "", v) ?? throw ApiErrors.PathNotFound(),
        ["apis"] => Discovery.Groups(state.Catalog),
        ["apis", var g] => Discovery.Group(state.Catalog, g) ?? throw ApiErrors.PathNotFound(),
        ["apis", var g, var v] => Discovery.Resources(state.Catalog, g, v) ?? throw ApiErrors.PathNotFound(),
        ["openapi", "v3"] => OpenApiDocuments.Index(state.Catalog, state.Store.CurrentVersion),
        ["openapi", "v3", .. var gv] => OpenApiDocuments.GroupVersion(state.Catalog, string.Join('/', gv)) ?? throw ApiErrors.PathNotFound(),
        _ => null,
    };

    private void Authorize(RequestUser user, ResourceAttributes request)
    {
        // Every authenticated user may ask what they may do (system:basic-user).
        if (request.Resource == "selfsubjectaccessreviews")
        {
            return;
        }
        var (allowed, _) = rbac.Check(user, request);
        if (!allowed)
        {
            var details = new JsonObject { ["name"] = request.Name };
            if (request.Group.Length > 0)
            {
                details["group"] = request.Group;
            }
            details["kind"] = request.Resource;
            throw new ApiException(403, "Forbidden", RbacEvaluator.ForbiddenMessage(user, request), details);
        }
    }

    private static ResourceAttributes Attributes(HttpContext context, ApiTarget target)
    {
        var method = context.Request.Method;
        var verb = target.Subresource is "proxy"
            ? method switch { "GET" or "HEAD" => "get", "POST" => "create", "PUT" => "update", "PATCH" => "patch", "DELETE" => "delete", _ => "get" }
            : (method, target.Name) switch
            {
                ("GET" or "HEAD", null) => ResourceHandler.IsWatch(context.Request.Query) ? "watch" : "list",
                ("GET" or "HEAD", _) => "get",
                ("POST", _) => "create",
                ("PUT", _) => "update",
                ("PATCH", _) => "patch",
                ("DELETE", null) => "deletecollection",
                ("DELETE", _) => "delete",
                _ => method.ToLowerInvariant(),
            };
        return new ResourceAttributes(verb, target.Type.Group, target.Type.Plural, target.Subresource, target.Namespace, target.Name);
    }
}
