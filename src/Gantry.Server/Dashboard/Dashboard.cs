using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Gantry.Server.Dashboard;

/// <summary>
/// The web dashboard (built from web/ by npm into wwwroot/ beside the server) at <c>/</c>:
/// hashed assets cached for a year, index.html never, and index.html for every client route
/// (a path without a file extension outside the API). Without a build, <c>/</c> says how to make one.
/// </summary>
public static class Dashboard
{
    private const string AssetsPrefix = "/assets/";

    // Paths the gateway itself answers: an unknown path under them is a 404, never the app.
    private static readonly string[] ServerPrefixes = ["/api/", "/openapi/", "/metrics", "/healthz", "/readyz"];

    public static WebApplication UseDashboard(this WebApplication app, string? root = null)
    {
        root ??= Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var index = new FileInfo(Path.Combine(root, "index.html"));
        if (!index.Exists)
        {
            app.MapGet("/", (HttpContext http) =>
            {
                // Its one inline stylesheet; no script.
                http.Response.Headers.ContentSecurityPolicy = Hosting.SecurityHeadersPolicy.GatewayPage;
                return Results.Content(DashboardNotBuiltPage.Html, "text/html; charset=utf-8");
            }).ExcludeFromDescription().AllowAnonymous();
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => SetCaching(context.Context),
        });
        // GET and HEAD only: a route that exists for other methods (the Spark UI proxy takes GET and
        // HEAD) must still answer 405 to a POST, not fall through to the app.
        app.MapFallback("{*path:nonfile}", (HttpContext http) => ServeIndexAsync(http, index))
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    private static async Task ServeIndexAsync(HttpContext http, FileInfo index)
    {
        var path = http.Request.Path.Value ?? "/";
        if (ServerPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase) || path.Equals(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"Nothing is served at {path}.").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        SetCaching(http);
        await http.Response.SendFileAsync(index.FullName, http.RequestAborted);
    }

    /// <summary>Vite names assets by their content hash, so they never change under one name; index.html names the current ones.</summary>
    private static void SetCaching(HttpContext http)
    {
        http.Response.Headers[HeaderNames.CacheControl] = http.Request.Path.StartsWithSegments(AssetsPrefix.TrimEnd('/'), StringComparison.Ordinal)
            ? "public, max-age=31536000, immutable"
            : "no-cache";
    }
}
