namespace Gantry.Server.Options;

/// <summary>
/// The <c>Gantry:SparkUi</c> section: where proxied Spark UIs are served. They run scripts the job's
/// author wrote, so they get an origin of their own (docs/security.md, "The Spark UI on its own
/// origin"): a second listener, a host name routed to this process, or both. Without either, no
/// Spark UI is served.
/// </summary>
public sealed class SparkUiOptions
{
    /// <summary>Listeners that serve nothing but Spark UIs, ';'-separated like <c>urls</c> (<c>gantry serve --ui-urls</c>).</summary>
    public string Urls { get; set; } = "";

    /// <summary>
    /// The UI origin as browsers reach it (<c>https://ui.gantry.example</c>): requests whose Host is
    /// this one are UI requests on any listener. Empty: the first of <see cref="Urls"/>. With
    /// <c>*</c> as its first label (<c>https://*.ui.gantry.example</c>) every job's UI gets its own
    /// origin, <c>https://{job id}.ui.gantry.example</c> (a wildcard DNS name and certificate).
    /// </summary>
    public string Origin { get; set; } = "";

    /// <summary>How long a signed link (<c>POST /api/v1/jobs/{id}/spark-ui/link</c>) may be opened.</summary>
    public int LinkSeconds { get; set; } = 300;

    /// <summary>How long the cookie an opened link sets stays good for that job's UI.</summary>
    public int CookieSeconds { get; set; } = 1800;
}
