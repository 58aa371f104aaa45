using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>Running SparkApplications on the fake local Spark, and a browser-like client for their UI.</summary>
internal static class SparkJobs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A SparkPi manifest whose application file exists on this machine: `local` runs only what it
    /// can find (the stand-in spark-submit never reads the jar, but the eligibility check does look).
    /// </summary>
    public static JsonObject Manifest(string name)
    {
        var jar = Path.Combine(Path.GetTempPath(), "gantry-test-spark-examples.jar");
        if (!File.Exists(jar))
        {
            File.WriteAllBytes(jar, []);
        }
        var manifest = TestJobs.SparkApplication(name);
        manifest["spec"]!["mainApplicationFile"] = "local://" + jar;
        return manifest;
    }

    /// <summary>Submits a SparkApplication and waits until its driver UI answers through the gateway.</summary>
    public static async Task<string> StartAsync(HttpClient owner, string requestLog)
    {
        var manifest = Manifest("pi");
        manifest["spec"]!["sparkConf"] = new JsonObject { ["spark.test.requestLog"] = requestLog };
        var id = (await owner.SubmitAsync(new JsonObject { ["manifest"] = manifest, ["queue"] = "default" })).Id();
        await owner.WaitForStateAsync(id, Patience, "Running");
        using var browser = await BrowserAsync(owner, id);
        await UntilAsync(async () => (await browser.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode == HttpStatusCode.OK, "the driver UI answers");
        return id;
    }

    /// <summary>Cancels the job and waits for its end: a local job's process outlives the gateway otherwise.</summary>
    public static async Task StopAsync(HttpClient owner, string id)
    {
        await owner.PostAsync($"api/v1/jobs/{id}/cancel", null);
        await owner.WaitForEndAsync(id);
    }

    /// <summary>A signed link to the job's UI, as the dashboard and the SDK ask for it.</summary>
    public static async Task<string> LinkAsync(HttpClient caller, string id)
    {
        var response = await caller.PostAsync($"api/v1/jobs/{id}/spark-ui/link", null);
        Assert.True(response.IsSuccessStatusCode, $"POST spark-ui/link answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
    }

    /// <summary>
    /// A browser on the UI origin that has opened a signed link of <paramref name="caller"/> for the
    /// job: it keeps cookies, follows redirects and never sends an Authorization header.
    /// </summary>
    public static async Task<HttpClient> BrowserAsync(HttpClient caller, string id, CookieContainer? cookies = null)
    {
        var link = new Uri(await LinkAsync(caller, id));
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(link.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var opened = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        return browser;
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
