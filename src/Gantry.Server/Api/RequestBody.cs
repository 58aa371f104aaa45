using Gantry.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

internal static class RequestBody
{
    /// <summary>Reads the whole body, refusing with 413 as soon as it passes <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static LimitExceededException TooLarge(int limit) =>
        new("body", "Gantry:Limits:MaxBodyBytes", limit,
            $"The request body is larger than the limit of {limit} bytes", tooLarge: true);
}
