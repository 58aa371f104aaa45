using System.Text.Json.Nodes;
using Gantry.Core.Labels;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Simulation;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// <c>.../services/{name}[:port]/proxy/{path}</c>: forwards to a running pod behind the service. The
/// only thing simulated pods serve is the Spark driver UI, under its application's
/// <c>spark.ui.proxyBase</c>. Like kube-apiserver, the answer's redirect and HTML links on the pod's
/// own address get the proxy path in front (<see cref="ProxyUrlRewriter"/>).
/// </summary>
internal sealed class ServiceProxyHandler(ClusterState state)
{
    public async Task HandleAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var (serviceName, port) = SplitNamePort(target.Name!);
        var rawPath = context.Request.Path.Value ?? "";
        if (rawPath.EndsWith("/proxy", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = rawPath + "/" + context.Request.QueryString;
            return;
        }
        var service = state.Store.Get(ObjectKey.For(BuiltInTypes.Services, target.Namespace, serviceName))
            ?? throw ApiErrors.NotFound(BuiltInTypes.Services, serviceName);
        if (port is not null && !HasPort(service, port))
        {
            throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{serviceName}:{port}\"");
        }
        var driver = RunningBackend(service) ?? throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{serviceName}\"");
        var app = driver.Labels().GetValueOrDefault("sparkoperator.k8s.io/app-name");
        var proxyAt = rawPath.IndexOf("/proxy/", StringComparison.Ordinal);
        var rest = rawPath[(proxyAt + "/proxy/".Length)..];
        var driverAddress = $"{ObjectMeta.Text(driver["status"]?["podIP"]) ?? "10.244.0.1"}:{SparkPods.UiPort}";
        if (app is null || context.Request.Method is not ("GET" or "HEAD")
            || SparkUiPage.Serve(app, ProxyBase(target.Namespace, app), driverAddress, rest, UiScript(target.Namespace, app)) is not { } answer)
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("404 page not found\n", ct);
            return;
        }
        var rewriter = new ProxyUrlRewriter(rawPath[..(proxyAt + "/proxy".Length)], driverAddress);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        if (answer.Location is not null)
        {
            context.Response.Headers.Location = rewriter.Url(answer.Location);
        }
        var body = answer.ContentType.StartsWith("text/html", StringComparison.Ordinal) ? rewriter.Html(answer.Body) : answer.Body;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(body, ct);
        }
    }

    /// <summary>The application's <c>spark.ui.proxyBase</c>, "" when it has none (links then start at the UI root).</summary>
    private string ProxyBase(string? ns, string app) =>
        state.Catalog.Find("sparkoperator.k8s.io", "sparkapplications") is { } type
        && state.Store.Get(ObjectKey.For(type, ns, app)) is { } application
            ? ObjectMeta.Text(application["spec"]?["sparkConf"]?["spark.ui.proxyBase"]) ?? ""
            : "";

    /// <summary>The script the application's annotation plants in its UI (<see cref="SparkUiPage.ScriptAnnotation"/>), or null.</summary>
    private string? UiScript(string? ns, string app) =>
        state.Catalog.Find("sparkoperator.k8s.io", "sparkapplications") is { } type
        && state.Store.Get(ObjectKey.For(type, ns, app)) is { } application
            ? ObjectMeta.Text(application["metadata"]?["annotations"]?[SparkUiPage.ScriptAnnotation])
            : null;

    /// <summary><c>https:name:port</c>, <c>name:port</c> or <c>name</c>.</summary>
    private static (string Name, string? Port) SplitNamePort(string text)
    {
        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => (parts[0], null),
            2 when parts[0] is "http" or "https" => (parts[1], null),
            2 => (parts[0], parts[1]),
            _ => (parts[1], parts[2]),
        };
    }

    private static bool HasPort(JsonObject service, string port) =>
        (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(p => ObjectMeta.Text(p["name"]) == port || p["port"]?.ToJsonString() == port);

    private JsonObject? RunningBackend(JsonObject service)
    {
        var selector = ObjectMeta.StringMap(service["spec"]?["selector"]);
        if (selector.Count == 0)
        {
            return null;
        }
        var requirements = LabelSelector.Parse(string.Join(',', selector.Select(kv => $"{kv.Key}={kv.Value}")));
        var (pods, _) = state.Store.List("", "pods", service.Namespace(),
            p => requirements.Matches(p.Labels()) && ObjectMeta.Text(p["status"]?["phase"]) == "Running");
        return pods.FirstOrDefault();
    }
}
