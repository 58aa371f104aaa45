using System.Net.Sockets;
using System.Text;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// Sends one HTTP/1.1 request with the request target exactly as written: HttpClient would remove
/// dot segments and normalise escapes before they ever reach the gateway.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Response)> SendAsync(string gatewayUrl, string method, string target, string? token, string? cookie = null)
    {
        var uri = new Uri(gatewayUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append($"{method} {target} HTTP/1.1\r\n")
            .Append($"Host: {uri.Authority}\r\n")
            .Append(token is null ? "" : $"Authorization: Bearer {token}\r\n")
            .Append(cookie is null ? "" : $"Cookie: {cookie}\r\n")
            .Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }
}
