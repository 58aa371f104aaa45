using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Api;

/// <summary>
/// What a browser holds after the dashboard signed in: the cookies the gateway set and the CSRF
/// token it answered. Cookies are sent by hand (the handler's own container is off) so that a test
/// decides exactly what each request carries.
/// </summary>
internal sealed class BrowserSession(TestGateway gateway, HttpResponseMessage signIn, JsonObject body) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(gateway.Url + "/"), Timeout = TimeSpan.FromSeconds(60) };

    public HttpResponseMessage SignIn { get; } = signIn;

    public JsonObject Body { get; } = body;

    public string Csrf => Body["csrfToken"]!.GetValue<string>();

    /// <summary>"name=value" of each cookie the sign-in set.</summary>
    public string Cookies { get; } = string.Join("; ", SetCookies(signIn).Select(c => c.Split(';')[0]));

    public static async Task<BrowserSession> SignInAsync(TestGateway gateway, string token)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(gateway.Url + "/") };
        var response = await http.PostAsJsonAsync("api/v1/session", new { token });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"sign-in answered {(int)response.StatusCode}: {text}");
        return new BrowserSession(gateway, response, JsonNode.Parse(text)!.AsObject());
    }

    public static IReadOnlyList<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> as the dashboard's own script would: the cookies, same-origin, and the CSRF header unless told otherwise.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, string? csrf = "", string site = "same-origin", string? cookies = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Cookie", cookies ?? Cookies);
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", site);
        if (csrf is not null)
        {
            request.Headers.TryAddWithoutValidation("X-CSRF-Token", csrf.Length == 0 ? Csrf : csrf);
        }
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }
        return _http.SendAsync(request);
    }

    public void Dispose()
    {
        _http.Dispose();
        SignIn.Dispose();
    }
}
