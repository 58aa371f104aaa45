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
    public async Task The_UI_service_proxy_serves_the_driver_page_with_relative_links_while_the_driver_runs()
    {
        var ns = await sandbox.NamespaceAsync("proxy");
        await sandbox.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("pi", duration: "1h"), SparkGroup, SparkVersion, ns, SparkPlural);
        using var http = SandboxHttp.Client(sandbox.Cluster);
        var root = $"/api/v1/namespaces/{ns}/services/pi-ui-svc:4040/proxy/";

        var page = await Eventually.Until(() => http.GetAsync(root), r => r.StatusCode == HttpStatusCode.OK, what: "the UI page");
        var html = await page.Content.ReadAsStringAsync();
        var css = await http.GetAsync(root + "static/sandbox-ui.css");
        var executors = await http.GetAsync(root + "executors/");
        var noSlash = await http.GetAsync(root.TrimEnd('/'));
        var byName = await http.GetAsync($"/api/v1/namespaces/{ns}/services/pi-ui-svc:spark-driver-ui-port/proxy/");

        Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("href=\"static/sandbox-ui.css\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"executors/\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, executors.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, noSlash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
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
