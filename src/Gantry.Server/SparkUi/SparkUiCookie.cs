using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gantry.Server.SparkUi;

/// <summary>
/// The UI origin's cookie: set when a signed link is opened, host-only (no Domain), HttpOnly,
/// SameSite=Strict, and with the path of that one job's UI, so the browser sends it for nothing
/// else; the server checks the job it names as well. It holds a <see cref="SparkUiTickets"/>
/// cookie token, never the bearer token.
/// </summary>
public static class SparkUiCookie
{
    public const string Name = "gantry_ui";

    public static CookieOptions Options(string jobId, bool secure, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        Secure = secure,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        Path = SparkUiPaths.ProxyBase(jobId),
        MaxAge = lifetime,
        IsEssential = true,
    };

    /// <summary>
    /// Every value sent under the name: a script in a UI can plant a cookie of the same name for
    /// another path, and a request carries both, so each is tried rather than the first.
    /// </summary>
    public static IEnumerable<string> Values(HttpRequest request)
    {
        foreach (var header in request.Headers.Cookie)
        {
            if (header is null || !CookieHeaderValue.TryParseList([header], out var cookies))
            {
                continue;
            }
            foreach (var cookie in cookies)
            {
                if (cookie.Name.Equals(Name, StringComparison.Ordinal) && cookie.Value.Length > 0)
                {
                    yield return cookie.Value.ToString();
                }
            }
        }
    }
}
