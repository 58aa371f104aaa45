using System.Net;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// A tiny stand-in for the Spark driver UI: a page with a relative link and a stylesheet, so a
/// proxy that serves it under a prefix can be checked for keeping relative URLs working.
/// </summary>
internal static class SparkUiPage
{
    /// <summary>The body and content type for <paramref name="path"/> (relative to the UI root), or null for 404.</summary>
    public static (string Body, string ContentType)? Render(string appName, string path)
    {
        var name = WebUtility.HtmlEncode(appName);
        return path.Trim('/') switch
        {
            "" or "jobs" => ($"""
                <!DOCTYPE html>
                <html><head><title>{name} - Spark Jobs</title><link rel="stylesheet" href="static/sandbox-ui.css"></head>
                <body><h1>Spark Jobs</h1><p class="app">{name}</p>
                <a href="executors/">Executors</a></body></html>
                """, "text/html; charset=utf-8"),
            "executors" => ($"""
                <!DOCTYPE html>
                <html><head><title>{name} - Executors</title><link rel="stylesheet" href="../static/sandbox-ui.css"></head>
                <body><h1>Executors</h1><a href="../jobs/">Jobs</a></body></html>
                """, "text/html; charset=utf-8"),
            "static/sandbox-ui.css" => ("body { font-family: sans-serif; }\n.app { color: #e25a1c; }\n", "text/css"),
            _ => null,
        };
    }
}
