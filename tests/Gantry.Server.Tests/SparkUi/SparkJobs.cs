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
    /// <param name="uiPort">With an origin per job, the UI listener every UI host name is sent to (no DNS here).</param>
    public static async Task<string> StartAsync(HttpClient owner, string requestLog, int? uiPort = null)
    {
        var manifest = Manifest("pi");
        manifest["spec"]!["sparkConf"] = new JsonObject { ["spark.test.requestLog"] = requestLog };
        var id = (await owner.SubmitAsync(new JsonObject { ["manifest"] = manifest, ["queue"] = "default" })).Id();
        await owner.WaitForStateAsync(id, Patience, "Running");
        using var browser = await BrowserAsync(owner, id, uiPort: uiPort);
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
    public static async Task<HttpClient> BrowserAsync(HttpClient caller, string id, CookieContainer? cookies = null, int? uiPort = null)
    {
        var link = new Uri(await LinkAsync(caller, id));
        var browser = new HttpClient(Handler(cookies ?? new CookieContainer(), uiPort))
        {
            BaseAddress = new Uri(link.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var opened = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        return browser;
    }

    /// <summary>
    /// A browser's handler: cookies, redirects, and, given a port, every host name reached on
    /// loopback at that port, as a wildcard DNS name pointing at the gateway would.
    /// </summary>
    public static HttpMessageHandler Handler(CookieContainer cookies, int? uiPort) => new SocketsHttpHandler
    {
        CookieContainer = cookies,
        AllowAutoRedirect = true,
        ConnectCallback = uiPort is not { } port ? null : async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

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
