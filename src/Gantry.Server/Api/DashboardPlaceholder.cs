using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Api;

/// <summary>
/// What <c>/</c> shows until the dashboard is built: honest about it, with the ways in that
/// do exist.
/// </summary>
public static class DashboardPlaceholder
{
    private const string Page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Gantry</title>
        <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2rem}</style>
        </head><body>
        <h1>Gantry</h1>
        <p>The gateway is running. The web dashboard is not built yet; until it is, use:</p>
        <ul>
        <li>the CLI: <code>gantry jobs</code>, <code>gantry submit -f job.yaml --wait</code>, <code>gantry logs ID -f</code></li>
        <li>the REST API under <code>/api/v1</code> with <code>Authorization: Bearer &lt;token&gt;</code></li>
        <li>its description: <a href="/openapi/v1.json">/openapi/v1.json</a></li>
        <li>health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
        </ul>
        </body></html>
        """;

    public static IEndpointRouteBuilder MapDashboardPlaceholder(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page, "text/html; charset=utf-8")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
