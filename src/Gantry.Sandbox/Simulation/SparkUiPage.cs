using System.Net;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// A tiny stand-in for the Spark driver UI that behaves like Spark where a proxy in front of it
/// notices: every link and asset is an absolute path under <c>spark.ui.proxyBase</c> (Spark's
/// <c>UIUtils.prependBaseUri</c>), and <c>/</c> redirects to <c>{proxyBase}/jobs/</c> with an
/// absolute URL on the driver's own address, as Jetty writes it. An application annotated
/// <c>sandbox.gantry.io/ui-script</c> gets that script on its jobs page, standing in for what a job's
/// author can put in a real driver's UI (a servlet, a plugin): the security tests plant one there.
/// </summary>
internal static class SparkUiPage
{
    public const string ScriptAnnotation = "sandbox.gantry.io/ui-script";

    /// <summary>What the driver answers for <paramref name="path"/> (relative to the UI root, no leading slash), or null for 404.</summary>
    /// <param name="driverAddress">host:port of the driver as the request reached it.</param>
    /// <param name="script">The application's planted script, or null.</param>
    public static SparkUiAnswer? Serve(string appName, string proxyBase, string driverAddress, string path, string? script = null)
    {
        var name = WebUtility.HtmlEncode(appName);
        var root = WebUtility.HtmlEncode(proxyBase.TrimEnd('/'));
        var planted = script is null ? "" : $"""<script src="{root}/static/app.js"></script>""";
        return path switch
        {
            "" => new SparkUiAnswer(302, "text/plain", "", $"http://{driverAddress}{proxyBase.TrimEnd('/')}/jobs/"),
            "jobs" or "jobs/" => Html($"""
                <!DOCTYPE html>
                <html><head><title>{name} - Spark Jobs</title><link rel="stylesheet" href="{root}/static/app.css"></head>
                <body><h1>Spark Jobs</h1><p class="app">{name}</p>
                <a href="{root}/executors/">Executors</a>{planted}</body></html>
                """),
            "executors" or "executors/" => Html($"""
                <!DOCTYPE html>
                <html><head><title>{name} - Executors</title><link rel="stylesheet" href="{root}/static/app.css"></head>
                <body><h1>Executors</h1><a href="{root}/jobs/">Jobs</a></body></html>
                """),
            "static/app.js" when script is not null => new SparkUiAnswer(200, "text/javascript", script, null),
            "static/app.css" => new SparkUiAnswer(200, "text/css", "body { font-family: sans-serif; }\n.app { color: #e25a1c; }\n", null),
            _ => null,
        };
    }

    private static SparkUiAnswer Html(string body) => new(200, "text/html; charset=utf-8", body, null);
}

/// <summary>One answer of the simulated driver UI.</summary>
internal sealed record SparkUiAnswer(int Status, string ContentType, string Body, string? Location);
