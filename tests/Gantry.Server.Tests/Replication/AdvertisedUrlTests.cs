using Gantry.Server.Replication;

namespace Gantry.Server.Tests.Replication;

public sealed class AdvertisedUrlTests
{
    private static string? NoPod(string name) => null;

    private static string? Pod(string name) => name == "POD_IP" ? "10.1.2.3" : null;

    [Theory]
    [InlineData("http://gantry-0.gantry:8080/", "http://127.0.0.1:1", "http://gantry-0.gantry:8080")]
    [InlineData("", "http://127.0.0.1:8080;http://127.0.0.1:8081", "http://127.0.0.1:8080")]
    [InlineData("", "http://0.0.0.0:8080", "http://box:8080")]
    [InlineData("", "http://+:8080", "http://box:8080")]
    [InlineData("", "http://[::]:8080", "http://box:8080")]
    [InlineData("", "https://gantry.example", "https://gantry.example")]
    [InlineData("", null, "")]
    [InlineData("", "not a url", "")]
    public void Resolves_outside_Kubernetes(string setting, string? listen, string expected) =>
        Assert.Equal(expected, AdvertisedUrl.Resolve(setting, listen, NoPod, "box"));

    [Fact]
    public void A_wildcard_address_in_a_pod_becomes_the_pod_IP() =>
        Assert.Equal("http://10.1.2.3:8080", AdvertisedUrl.Resolve("", "http://*:8080", Pod, "box"));

    [Fact]
    public void An_IPv6_pod_IP_is_bracketed() =>
        Assert.Equal("http://[fd00::5]:8080", AdvertisedUrl.Resolve("", "http://0.0.0.0:8080", n => n == "POD_IP" ? "fd00::5" : null, "box"));
}
