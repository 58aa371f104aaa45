namespace Gantry.Server.Replication;

/// <summary>Where the other replicas reach this one: the setting, else the first listen address made reachable.</summary>
public static class AdvertisedUrl
{
    private static readonly HashSet<string> Wildcards = new(StringComparer.Ordinal) { "0.0.0.0", "*", "+", "[::]", "::" };

    /// <param name="setting">Gantry:Leader:AdvertiseUrl ("" when unset).</param>
    /// <param name="listen">The gateway's listen addresses (ASP.NET Core's <c>urls</c>, ';'-separated), or null.</param>
    /// <param name="environment">Reads $POD_IP (Kubernetes' downward API).</param>
    /// <param name="hostName">This machine's name, for a wildcard address outside Kubernetes.</param>
    public static string Resolve(string setting, string? listen, Func<string, string?> environment, string hostName)
    {
        if (setting.Length > 0)
        {
            return setting.TrimEnd('/');
        }
        var first = (listen ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return "";
        }
        var scheme = first.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return "";
        }
        var rest = first[(scheme + 3)..];
        var colon = rest.LastIndexOf(':');
        var host = colon > 0 && !rest.EndsWith(']') ? rest[..colon] : rest;
        var port = colon > 0 && !rest.EndsWith(']') ? rest[colon..] : "";
        if (Wildcards.Contains(host))
        {
            host = environment("POD_IP") is { Length: > 0 } ip ? (ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip) : hostName;
        }
        return $"{first[..scheme]}://{host}{port.TrimEnd('/')}";
    }
}
