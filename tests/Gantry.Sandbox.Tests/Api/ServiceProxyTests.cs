using System.Net;
using Gantry.Sandbox.Tests.Support;
using k8s;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>The API server's service proxy to the simulated Spark driver UI.</summary>
[Collection(SandboxCollection.Name)]
public class ServiceProxyTests(SandboxFixture sandbox)
{
    [Fact]
    public async Task The_UI_service_proxy_serves_the_driver_page_with_its_links_under_the_proxy_path_like_kube_apiserver()
    {
        var ns = await sandbox.NamespaceAsync("proxy");
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);
        using var http = SandboxHttp.Client(sandbox.Cluster);
        var proxy = $"/api/v1/namespaces/{ns}/services/pi-ui-svc:4040/proxy";

        var page = await Eventually.Until(() => http.GetAsync(proxy + "/jobs/"), r => r.StatusCode == HttpStatusCode.OK, what: "the UI page");
        var html = await page.Content.ReadAsStringAsync();
        var css = await http.GetAsync(proxy + "/static/app.css");
        var executors = await http.GetAsync(proxy + "/executors/");
        var root = await http.GetAsync(proxy + "/");
        var noSlash = await http.GetAsync(proxy);
        var byName = await http.GetAsync($"/api/v1/namespaces/{ns}/services/pi-ui-svc:spark-driver-ui-port/proxy/jobs/");

        Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        // Spark writes absolute paths; the API server puts its proxy path in front of them.
        Assert.Contains($"href=\"{proxy}/static/app.css\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{proxy}/executors/\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, executors.StatusCode);
        Assert.Equal(HttpStatusCode.Found, root.StatusCode);
        Assert.Equal($"{proxy}/jobs/", root.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, noSlash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
    }

    [Fact]
    public async Task The_driver_page_honours_the_applications_spark_ui_proxyBase_in_its_links_and_its_redirect()
    {
        var ns = await sandbox.NamespaceAsync("proxybase");
        var app = Spark("pi", duration: "1h");
        app["spec"]!["sparkConf"] = new System.Text.Json.Nodes.JsonObject { ["spark.ui.proxyBase"] = "/gateway/pi" };
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(app, SparkGroup, SparkVersion, ns, SparkPlural);
        using var http = SandboxHttp.Client(sandbox.Cluster);
        var proxy = $"/api/v1/namespaces/{ns}/services/pi-ui-svc:4040/proxy";

        var page = await Eventually.Until(() => http.GetAsync(proxy + "/jobs/"), r => r.StatusCode == HttpStatusCode.OK, what: "the UI page");
        var html = await page.Content.ReadAsStringAsync();
        var root = await http.GetAsync(proxy + "/");

        Assert.Contains($"href=\"{proxy}/gateway/pi/executors/\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{proxy}/gateway/pi/static/app.css\"", html, StringComparison.Ordinal);
        Assert.Equal($"{proxy}/gateway/pi/jobs/", root.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Without_a_running_driver_the_proxy_answers_503_and_an_unknown_service_404()
    {
        var ns = await sandbox.NamespaceAsync("noproxy");
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "100ms"), SparkGroup, SparkVersion, ns, SparkPlural);
        await Eventually.Until(
            async () => AsNode(await sandbox.Client.CustomObjects.GetNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, "pi")),
            o => o.Text("status.applicationState.state") == "COMPLETED", what: "COMPLETED");
        using var http = SandboxHttp.Client(sandbox.Cluster);

        var ended = await http.GetAsync($"/api/v1/namespaces/{ns}/services/pi-ui-svc:4040/proxy/");
        var unknown = await http.GetAsync($"/api/v1/namespaces/{ns}/services/nope:4040/proxy/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ended.StatusCode);
        Assert.Contains("no endpoints available for service", await ended.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
