using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Api;

/// <summary>The <c>Idempotency-Key</c> header of a submission (jobs, experiments): 1 to 255 printable characters, or none.</summary>
internal static class IdempotencyKeyHeader
{
    public static string? Read(HttpRequest request)
    {
        string? key = request.Headers["Idempotency-Key"];
        if (key is null)
        {
            return null;
        }
        if (key.Length is 0 or > 255 || key.Any(char.IsControl))
        {
            throw RequestException.BadField("Idempotency-Key", "must be 1 to 255 printable characters");
        }
        return key;
    }
}
