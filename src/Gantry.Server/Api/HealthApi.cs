using Gantry.Server.Hosting;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: start-up is done and the store
/// answers, so a load balancer may send traffic.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health").WithName("Healthz").AllowAnonymous();
        app.MapGet("/readyz", async (Readiness readiness, IGantryStore store, CancellationToken cancellationToken) =>
        {
            if (!readiness.IsStarted)
            {
                return Results.Problem(statusCode: 503, title: "Starting", detail: "Start-up (migrations, the default queue and the admin) is not finished.");
            }
            if (!await store.PingAsync(cancellationToken))
            {
                return Results.Problem(statusCode: 503, title: "Store unavailable", detail: "The database does not answer.");
            }
            return Results.Ok(new { status = "ready" });
        }).WithTags("Health").WithName("Readyz").AllowAnonymous();
        return app;
    }
}
