using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>Running SparkApplications on the fake local Spark, and a browser-like client for their UI.</summary>
internal static class SparkJobs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Submits a SparkApplication and waits until its driver UI answers through the gateway.</summary>
    public static async Task<string> StartAsync(HttpClient owner, string requestLog)
    {
        var manifest = TestJobs.SparkApplication("pi");
        manifest["spec"]!["sparkConf"] = new JsonObject { ["spark.test.requestLog"] = requestLog };
        var id = (await owner.SubmitAsync(new JsonObject { ["manifest"] = manifest, ["queue"] = "default" })).Id();
        await owner.WaitForStateAsync(id, Patience, "Running");
        await UntilAsync(async () => (await owner.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode == HttpStatusCode.OK, "the driver UI answers");
        return id;
    }

    /// <summary>Cancels the job and waits for its end: a local job's process outlives the gateway otherwise.</summary>
    public static async Task StopAsync(HttpClient owner, string id)
    {
        await owner.PostAsync($"api/v1/jobs/{id}/cancel", null);
        await owner.WaitForEndAsync(id);
    }

    /// <summary>A client that keeps cookies and follows redirects, and never sends an Authorization header by itself.</summary>
    public static HttpClient Browser(TestGateway gateway, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(gateway.Url + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Signs the browser in as the dashboard does: POST /api/v1/session with the bearer token.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await browser.SendAsync(request);
    }

    public static IReadOnlyList<JsonObject> Requests(string requestLog) =>
        File.Exists(requestLog)
            ? File.ReadAllLines(requestLog).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
            : [];

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Patience} for: {what}.");
            }
            await Task.Delay(50);
        }
    }
}
