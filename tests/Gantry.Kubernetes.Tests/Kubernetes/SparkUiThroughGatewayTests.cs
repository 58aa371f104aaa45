using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Backends.Kubernetes;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Testing;
using k8s;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>
/// A SparkApplication's driver UI on a sandbox cluster, opened through the gateway: the gateway goes
/// through the API server's service proxy with the cluster's credentials, and undoes the proxy path
/// the API server puts in front of Spark's redirect and links.
/// </summary>
public sealed class SparkUiThroughGatewayTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_running_applications_ui_answers_under_the_gateways_prefix_with_working_links_and_assets_then_409_once_it_ended()
    {
        await using var sandbox = await SandboxGateway.StartAsync();
        using var admin = sandbox.Gateway.Client();
        using var other = await sandbox.Gateway.UserClientAsync("eve");
        var job = KubeJobs.Spark(duration: "60s");
        var id = (await admin.SubmitAsync(new JsonObject { ["manifest"] = JsonNode.Parse(job.Manifest), ["queue"] = "default" })).Id();
        var running = await admin.WaitForStateAsync(id, Long, "Running");
        var prefix = $"/api/v1/jobs/{id}/spark-ui";
        Assert.Equal($"{prefix}/", running["sparkUiUrl"]!.GetValue<string>());

        // Gantry told Spark where its UI lives.
        using var cluster = new k8s.Kubernetes(KubernetesConfigurationFactory.Create(new Core.Clusters.ClusterConnection
        {
            Server = sandbox.Cluster.Server.ToString(),
            Token = sandbox.Cluster.AdminToken,
            CertificateAuthorityData = sandbox.Cluster.CertificateAuthorityData,
        }));
        var resource = (JsonElement)await cluster.CustomObjects.GetNamespacedCustomObjectAsync(
            "sparkoperator.k8s.io", "v1beta2", "default", "sparkapplications", GantryLabels.ResourceName(id));
        Assert.Equal(prefix, resource.GetProperty("spec").GetProperty("sparkConf").GetProperty("spark.ui.proxyBase").GetString());

        // A browser on the UI origin, in through a signed link as the dashboard opens it.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(sandbox.Gateway.UiUrl + "/"),
            DefaultRequestHeaders = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } },
        };
        var link = JsonNode.Parse(await (await admin.PostAsync($"api/v1/jobs/{id}/spark-ui/link", null)).Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
        Assert.StartsWith(sandbox.Gateway.UiUrl + "/", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).StatusCode);

        var page = await browser.GetAsync($"api/v1/jobs/{id}/spark-ui/");
        var html = await page.Content.ReadAsStringAsync();
        var links = Regex.Matches(html, "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal($"{prefix}/jobs/", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal([$"{prefix}/static/app.css", $"{prefix}/executors/"], links);
        Assert.DoesNotContain("/proxy", html, StringComparison.Ordinal);
        var executors = await browser.GetAsync(links[1].TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, executors.StatusCode);
        Assert.Contains($"href=\"{prefix}/jobs/\"", await executors.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var css = await browser.GetAsync(links[0].TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"api/v1/jobs/{id}/spark-ui/link", null)).StatusCode);

        (await admin.PostAsync($"api/v1/jobs/{id}/cancel", null)).EnsureSuccessStatusCode();
        await admin.WaitForStateAsync(id, Long, "Cancelled");
        var ended = await browser.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/");
        using var asJson = new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{id}/spark-ui/jobs/");
        asJson.Headers.Accept.Clear();
        asJson.Headers.Accept.ParseAdd("application/json");
        var problem = JsonNode.Parse(await (await browser.SendAsync(asJson)).Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Contains($"href=\"{sandbox.Gateway.Url}/jobs/{id}\"", await ended.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Cancelled", problem["state"]!.GetValue<string>());
    }
}
