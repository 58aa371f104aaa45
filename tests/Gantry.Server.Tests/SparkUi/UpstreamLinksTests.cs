using Gantry.Server.SparkUi;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>Redirects and HTML links from a driver UI, mapped back under the gateway's prefix.</summary>
public sealed class UpstreamLinksTests
{
    private const string Prefix = "/api/v1/jobs/abcdefghijkl/spark-ui";
    private const string ApiProxy = "/api/v1/namespaces/team-a/services/g-abcdefghijkl-ui-svc:4040/proxy";

    private static readonly UpstreamLinks Local = new(new Uri("http://127.0.0.1:41000/"), Prefix);
    private static readonly UpstreamLinks ApiServer = new(new Uri("https://10.0.0.1:6443" + ApiProxy + "/"), Prefix);

    [Theory]
    [InlineData("http://127.0.0.1:41000" + Prefix + "/jobs/", Prefix + "/jobs/")]        // Jetty's absolute redirect, proxyBase honoured
    [InlineData("http://127.0.0.1:41000/jobs/?id=3", Prefix + "/jobs/?id=3")]            // a UI unaware of proxyBase
    [InlineData(Prefix + "/stages/", Prefix + "/stages/")]
    [InlineData("/environment/", Prefix + "/environment/")]
    [InlineData("executors/", "executors/")]                                              // relative to the page: right as it is
    [InlineData("http://elsewhere.example/x", "http://elsewhere.example/x")]               // another host: left alone
    [InlineData("http://127.0.0.1:41001/jobs/", "http://127.0.0.1:41001/jobs/")]           // another port is another host
    [InlineData("//elsewhere.example/x", "//elsewhere.example/x")]
    public void A_local_drivers_redirect_lands_under_the_prefix(string location, string expected) =>
        Assert.Equal(expected, Local.Location(location));

    [Theory]
    [InlineData(ApiProxy + Prefix + "/jobs/", Prefix + "/jobs/")]                          // what kube-apiserver makes of Spark's redirect
    [InlineData(ApiProxy + "/jobs/", Prefix + "/jobs/")]
    [InlineData(ApiProxy + "?x=1", Prefix + "/?x=1")]
    [InlineData("https://10.0.0.1:6443" + ApiProxy + Prefix + "/jobs/", Prefix + "/jobs/")]
    [InlineData("/api/v1/namespaces/other/services/x:80/proxy/", "/api/v1/namespaces/other/services/x:80/proxy/")] // not this UI: untouched
    public void A_redirect_through_the_api_servers_proxy_loses_the_proxy_path(string location, string expected) =>
        Assert.Equal(expected, ApiServer.Location(location));

    [Fact]
    public void Html_links_the_api_server_prefixed_are_put_back_under_the_gateways_prefix_and_nothing_else_changes()
    {
        var page = $"""<link href="{ApiProxy}{Prefix}/static/app.css"><a href="{ApiProxy}{Prefix}/executors/">x</a><a href="executors/">rel</a> {ApiProxy}/other""";

        var html = ApiServer.Html(page);

        Assert.Equal($"""<link href="{Prefix}/static/app.css"><a href="{Prefix}/executors/">x</a><a href="executors/">rel</a> {ApiProxy}/other""", html);
        Assert.True(ApiServer.RewritesHtml);
        Assert.False(Local.RewritesHtml);
        Assert.Equal(page, Local.Html(page));
    }
}
