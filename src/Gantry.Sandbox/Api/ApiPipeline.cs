using Gantry.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// Every request's way through the sandbox's API server: injected faults first, then
/// authentication by bearer token, then the router; every failure becomes a Status.
/// </summary>
internal sealed class ApiPipeline(ClusterState state, ApiRouter router)
{
    // The issuer discovery documents are open as on a cluster with Kubeflow's
    // allow-unauthenticated-issuer-discovery (system:service-account-issuer-discovery bound to
    // system:unauthenticated): an outside verifier needs no credential to fetch the keys.
    private static readonly string[] Anonymous = ["/version", "/healthz", "/livez", "/readyz", DiscoveryPath, JwksPath];
    private const string DiscoveryPath = "/.well-known/openid-configuration";
    private const string JwksPath = "/openid/v1/jwks";

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            await state.Faults.WhenResponsive(ct);
            if (state.Faults.FailStatus is { } status)
            {
                throw Fault(status);
            }
            var path = context.Request.Path.Value ?? "";
            if (Anonymous.Contains(path))
            {
                await AnswerAnonymousAsync(context, path, ct);
                return;
            }
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
            var user = state.Tokens.Authenticate(token, state.Time.GetUtcNow()) ?? throw ApiErrors.Unauthorized();
            await router.HandleAsync(context, user, ct);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            if (e.RetryAfterSeconds is { } retry)
            {
                context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await JsonResponses.WriteAsync(context, e.Code, e.ToStatus(), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away (or gave up on an unresponsive server).
        }
        catch (Exception e) when (e is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A sandbox bug, not the client's fault: say what broke, as kube-apiserver's InternalError does.
            await JsonResponses.WriteAsync(context, 500, new ApiException(500, "InternalError", $"an error on the server ({e.GetType().Name}: {e.Message}) has prevented the request from succeeding").ToStatus(), ct);
        }
    }

    private static ApiException Fault(int status) => status == 429
        ? new ApiException(429, "TooManyRequests", "the sandbox is throttling every request (fault injected)") { RetryAfterSeconds = 1 }
        : new ApiException(status, status == 500 ? "InternalError" : "ServiceUnavailable", $"the sandbox answers {status} to every request (fault injected)");

    private Task AnswerAnonymousAsync(HttpContext context, string path, CancellationToken ct)
    {
        switch (path)
        {
            case "/version":
                return JsonResponses.WriteAsync(context, 200, Discovery.Version(), ct);
            case DiscoveryPath:
                return JsonResponses.WriteAsync(context, 200, state.Tokens.Issuer.Discovery($"https://{context.Request.Host}"), ct);
            case JwksPath:
                context.Response.ContentType = "application/jwk-set+json";
                return context.Response.WriteAsync(state.Tokens.Issuer.Jwks().ToJsonString(), ct);
        }
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("ok", ct);
    }
}
