namespace Gantry.Server.SparkUi;

/// <summary>Where the gateway serves a job's Spark UI: <c>/api/v1/jobs/{id}/spark-ui/...</c>, on the UI origin (<see cref="SparkUiOrigin"/>).</summary>
public static class SparkUiPaths
{
    private const string Segment = "spark-ui";

    /// <summary>The prefix for the job's UI, without a trailing slash: Spark's <c>spark.ui.proxyBase</c>.</summary>
    public static string ProxyBase(string jobId) => $"/api/v1/jobs/{jobId}/{Segment}";

    /// <summary>On the UI origin: where a signed link lands, to trade its ticket for the job's UI cookie.</summary>
    public static string Open(string jobId) => $"/api/v1/jobs/{jobId}/spark-ui-open";

    /// <summary>The job's logs, where an ended driver's page sends the reader.</summary>
    public static string Logs(string jobId) => $"/api/v1/jobs/{jobId}/logs";

    /// <summary>
    /// Whether a decoded path is in some job's UI (<c>/api/v1/jobs/{id}/spark-ui</c> and below), compared
    /// without case as routing compares it. Backslashes count as separators, as some servers take them.
    /// </summary>
    public static bool IsSparkUiPath(string decodedPath)
    {
        var segments = decodedPath.Replace('\\', '/').Split('/');
        return segments.Length >= 6
            && segments[0].Length == 0
            && segments[1].Equals("api", StringComparison.OrdinalIgnoreCase)
            && segments[2].Equals("v1", StringComparison.OrdinalIgnoreCase)
            && segments[3].Equals("jobs", StringComparison.OrdinalIgnoreCase)
            && segments[5].Equals(Segment, StringComparison.OrdinalIgnoreCase);
    }
}
