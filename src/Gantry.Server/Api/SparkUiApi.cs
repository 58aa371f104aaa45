using Gantry.Server.SparkUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gantry.Server.Api;

/// <summary>
/// <c>GET|HEAD /api/v1/jobs/{id}/spark-ui/{**rest}</c>: the job's running Spark driver UI, proxied
/// (<see cref="SparkUiProxy"/>). Other methods are not forwarded (405): Spark's UI reads with GET,
/// and its kill links are GETs too.
/// </summary>
public static class SparkUiApi
{
    public static RouteGroupBuilder MapSparkUiApi(this RouteGroupBuilder api)
    {
        api.MapMethods("/jobs/{id}/spark-ui/{**rest}", [HttpMethods.Get, HttpMethods.Head], Forward)
            .WithTags("Jobs").WithName("SparkUi")
            .WithSummary("The job's running Spark UI, proxied; 409 with a link to the logs when the driver is not running. A browser signs in with POST /api/v1/session.");
        return api;
    }

    private static Task Forward(string id, HttpContext http, SparkUiProxy proxy, CancellationToken cancellationToken) =>
        proxy.ForwardAsync(http, id, cancellationToken);
}
