using System.Net;
using Gantry.Server.Options;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Identity;

/// <summary>The proxies whose user header is believed (<c>Gantry:Identity:Proxy:TrustedProxies</c>), matched by the connection's address.</summary>
public sealed class TrustedProxies
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public TrustedProxies(ProxyHeaderOptions options)
    {
        Options = options;
        _networks = options.TrustedProxies
            .Select(p => IPNetwork.TryParse(p, out var network) ? network : Single(IPAddress.Parse(p)))
            .ToList();
    }

    public ProxyHeaderOptions Options { get; }

    public bool Enabled => _networks.Count > 0;

    /// <summary>Whether the request came straight from a trusted proxy (the TCP peer: X-Forwarded-For is not read, it is what a caller could forge).</summary>
    public bool Trusts(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && _networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    /// <summary>Whether the request carries the user header at all.</summary>
    public bool Carries(HttpRequest request) => Enabled && request.Headers.ContainsKey(Options.UserHeader);

    private static IPNetwork Single(IPAddress address) => new(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
}
