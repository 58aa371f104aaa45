namespace Gantry.Server.SparkUi;

/// <summary>
/// The request target as the client sent it (before Kestrel decodes it and removes dot segments),
/// split into the part under <c>/api/v1/jobs/{id}/spark-ui</c> and the query. It is judged raw
/// because what is forwarded is raw: a path that decodes or normalises to somewhere else must
/// never reach the API server's proxy or the driver.
/// </summary>
public sealed record SparkUiTarget(string Rest, string Query)
{
    // An encoded dot, slash, backslash, percent (double encoding) or NUL could leave the job's UI
    // once some server further on decodes it; Spark's own paths never need them.
    private static readonly string[] Forbidden = ["%2e", "%2f", "%5c", "%25", "%00"];

    /// <summary>The path part of a raw request target.</summary>
    public static string PathOf(string rawTarget)
    {
        var query = rawTarget.IndexOfAny(['?', '#']);
        return query < 0 ? rawTarget : rawTarget[..query];
    }

    /// <summary>Why <paramref name="rawPath"/> may not be forwarded, or null when it stays inside the job's UI.</summary>
    public static string? Refusal(string rawPath)
    {
        if (!rawPath.StartsWith('/'))
        {
            return "the request target must be a path; absolute URLs are not forwarded";
        }
        if (rawPath.Contains('\\', StringComparison.Ordinal))
        {
            return "must not contain backslashes";
        }
        if (rawPath.Contains("//", StringComparison.Ordinal))
        {
            return "must not contain empty segments ('//')";
        }
        if (rawPath.Any(c => c < 0x20 || c == 0x7f))
        {
            return "must not contain control characters";
        }
        foreach (var encoded in Forbidden)
        {
            if (rawPath.Contains(encoded, StringComparison.OrdinalIgnoreCase))
            {
                return $"must not contain the encoded character '{encoded}'";
            }
        }
        if (rawPath.Split('/').Any(s => s is "." or ".."))
        {
            return "must not contain '.' or '..' segments";
        }
        return null;
    }

    /// <summary>Reads a raw target that passed <see cref="Refusal"/>: what follows the UI prefix ("" or "/...") and the query ("" or "?...").</summary>
    public static SparkUiTarget Parse(string rawTarget)
    {
        var path = PathOf(rawTarget);
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? rawTarget[q..] : "";
        var fragment = query.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            query = query[..fragment];
        }
        // The prefix is five segments: /api/v1/jobs/{id}/spark-ui.
        var slashes = 0;
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '/' && ++slashes == 6)
            {
                return new SparkUiTarget(path[i..], query);
            }
        }
        return new SparkUiTarget("", query);
    }
}
