using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gantry.Server.Identity;

/// <summary>The problem details an authentication scheme answers a refused request with.</summary>
internal static class AuthProblem
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail }).ExecuteAsync(context);
    }

    public static Task UnauthorizedAsync(HttpContext context, string detail) =>
        WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
}
