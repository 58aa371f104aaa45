namespace Gantry.Server.Options;

/// <summary>The <c>Gantry:SparkUi</c> checks, each message naming its key.</summary>
internal static class SparkUiOptionsValidator
{
    public static void Validate(SparkUiOptions options, List<string> failures)
    {
        foreach (var url in Split(options.Urls))
        {
            if (ListenerUri(url) is not { } uri || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                failures.Add($"Gantry:SparkUi:Urls: '{url}' must be an http(s) URL with a host and port and no path, such as http://127.0.0.1:8081.");
            }
            else if (uri.Port == 0)
            {
                failures.Add($"Gantry:SparkUi:Urls: '{url}' needs a fixed port: requests are told apart by the port they arrive on.");
            }
        }
        // An origin per job (https://*.ui.gantry.example) is checked with a job id in place of '*'.
        var checkedOrigin = SparkUi.SparkUiOrigin.WithFirstLabel(options.Origin, "abcdefghijkl");
        if (options.Origin.Length > 0
            && (!Uri.TryCreate(checkedOrigin, UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https")
                || origin.AbsolutePath != "/" || origin.Query.Length > 0 || origin.Fragment.Length > 0 || origin.UserInfo.Length > 0
                || options.Origin.Count(c => c == '*') > (SparkUi.SparkUiOrigin.IsPerJob(options.Origin) ? 1 : 0)))
        {
            failures.Add($"Gantry:SparkUi:Origin '{options.Origin}' must be an origin (scheme, host, optional port, no path) such as https://ui.gantry.example, or https://*.ui.gantry.example for an origin per job ('*' only as the whole first label).");
        }
        if (options.LinkSeconds is < 5 or > 86_400)
        {
            failures.Add("Gantry:SparkUi:LinkSeconds must be between 5 and 86400 (a day).");
        }
        if (options.CookieSeconds is < 60 or > 86_400)
        {
            failures.Add("Gantry:SparkUi:CookieSeconds must be between 60 and 86400 (a day).");
        }
    }

    /// <summary>A listener URL as Kestrel takes it ('*' and '+' for any address) read as a URI, or null.</summary>
    public static Uri? ListenerUri(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;

    public static IEnumerable<string> Split(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
