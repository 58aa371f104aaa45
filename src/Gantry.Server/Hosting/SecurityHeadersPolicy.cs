namespace Gantry.Server.Hosting;

/// <summary>The Content-Security-Policy values the gateway sends (docs/security.md).</summary>
public static class SecurityHeadersPolicy
{
    /// <summary>
    /// The dashboard and the API: scripts, styles and connections only from this origin (no inline
    /// script, no eval), no plugins, no &lt;base&gt;, and never framed. The dashboard is built to run
    /// under it: Vite emits external scripts and styles, and styles set from script use the CSSOM.
    /// </summary>
    public const string Dashboard =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A page the gateway writes itself with an inline stylesheet and no script (the not-built page, the UI origin's own pages).</summary>
    public const string GatewayPage =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}
