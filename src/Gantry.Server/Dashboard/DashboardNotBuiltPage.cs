namespace Gantry.Server.Dashboard;

/// <summary>What <c>/</c> shows when the server was built without npm: the dashboard is missing, how to get it, and the ways in that work now.</summary>
internal static class DashboardNotBuiltPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Gantry</title>
        <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2rem}</style>
        </head><body>
        <h1>Gantry</h1>
        <p>The gateway is running, but its web dashboard was not built: npm was not found when the
        server was built. Install Node.js 20 or later with npm, then build again
        (<code>dotnet build src/Gantry.Cli</code>, or <code>dotnet run --project src/Gantry.Cli -- serve</code>):
        the build runs <code>npm ci</code> and <code>npm run build</code> in <code>web/</code>.</p>
        <p>Meanwhile:</p>
        <ul>
        <li>the CLI: <code>gantry jobs</code>, <code>gantry submit -f job.yaml --wait</code>, <code>gantry logs ID -f</code></li>
        <li>the REST API under <code>/api/v1</code> with <code>Authorization: Bearer &lt;token&gt;</code></li>
        <li>its description: <a href="/openapi/v1.json">/openapi/v1.json</a></li>
        <li>health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
        </ul>
        </body></html>
        """;
}
