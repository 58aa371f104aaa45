using Microsoft.AspNetCore.Http;

namespace Gantry.Server.Identity;

/// <summary>The token of an <c>Authorization: Bearer</c> header.</summary>
public static class BearerToken
{
    public static string? From(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;
    }
}
