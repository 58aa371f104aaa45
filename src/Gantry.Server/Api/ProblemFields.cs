using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Gantry.Server.Api;

/// <summary>
/// Problems the framework writes itself (routing's 415 for an endpoint that declares what it
/// accepts, status-code pages) carry no <c>errors</c>; the API promises that every refusal names
/// what was wrong, so the one field such a status can be about is named here.
/// </summary>
internal static class ProblemFields
{
    public static void NameTheField(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem is HttpValidationProblemDetails || problem.Extensions.ContainsKey("errors"))
        {
            return;
        }
        var field = problem.Status switch
        {
            StatusCodes.Status415UnsupportedMediaType => "Content-Type",
            StatusCodes.Status411LengthRequired or StatusCodes.Status413PayloadTooLarge => "body",
            _ => null,
        };
        if (field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [field] = [problem.Status == StatusCodes.Status415UnsupportedMediaType
                    ? $"'{context.HttpContext.Request.ContentType}' is not accepted here; send application/json"
                    : problem.Detail ?? problem.Title ?? "is not accepted"],
            };
        }
    }
}
