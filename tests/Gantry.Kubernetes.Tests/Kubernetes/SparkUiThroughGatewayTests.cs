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

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(sandbox.Gateway.Url + "/"),
            DefaultRequestHeaders = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } },
        };
        using (var signIn = new HttpRequestMessage(HttpMethod.Post, "api/v1/session"))
        {
            signIn.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Gateway.AdminToken);
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signIn)).StatusCode);
        }

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
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/")).StatusCode);

        (await admin.PostAsync($"api/v1/jobs/{id}/cancel", null)).EnsureSuccessStatusCode();
        await admin.WaitForStateAsync(id, Long, "Cancelled");
        var ended = await browser.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/");
        var problem = JsonNode.Parse(await (await admin.GetAsync($"api/v1/jobs/{id}/spark-ui/jobs/")).Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Contains($"href=\"/api/v1/jobs/{id}/logs\"", await ended.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Cancelled", problem["state"]!.GetValue<string>());
    }
}
