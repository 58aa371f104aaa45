using Gantry.Core.Errors;
using Gantry.Core.Jobs;
using Gantry.Server.Api;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.Server.SparkUi;

/// <summary>
/// <c>GET|HEAD /api/v1/jobs/{id}/spark-ui/{**rest}</c> on the UI origin: the job's running driver UI,
/// forwarded with YARP to where its backend says it answers (the API server's service proxy, or
/// loopback for a local spark-submit). Only the job's owner or an admin (anyone else gets the API's
/// 404); only paths inside the UI (the raw target was checked by <see cref="SparkUiPathGuard"/>
/// before anything else ran).
/// </summary>
public sealed partial class SparkUiProxy(
    IGantryStore store,
    BackendRegistry backends,
    IHttpForwarder forwarder,
    IProblemDetailsService problems,
    IOptions<GantryOptions> options,
    ILogger<SparkUiProxy> logger)
{
    private const string SparkApplication = "SparkApplication";

    // Spark UI pages render in well under this; a stalled driver must not hold the request forever.
    private static readonly ForwarderRequestConfig Config = new() { ActivityTimeout = TimeSpan.FromSeconds(60) };

    private string ApiBase => options.Value.PublicUrl.TrimEnd('/');

    public async Task ForwardAsync(HttpContext http, string id, Caller caller, CancellationToken cancellationToken)
    {
        var job = JobId.IsWellFormed(id) ? await store.Jobs.GetAsync(id, cancellationToken) : null;
        if (job is null || !caller.CanSee(job.Owner))
        {
            throw new NotFoundException("Job", id);
        }
        if (job.Kind != SparkApplication)
        {
            throw new NotFoundException($"Spark UI of {job.Kind} job", job.Id);
        }
        var raw = RawTarget(http);
        if (SparkUiTarget.Refusal(SparkUiTarget.PathOf(raw)) is { } refusal)
        {
            // The guard refused this already; checked again where the path is forwarded, so the
            // forwarder is never one middleware away from an escape.
            throw RequestException.BadField("path", $"A Spark UI path {refusal}.");
        }
        var target = SparkUiTarget.Parse(raw);
        var prefix = SparkUiPaths.ProxyBase(job.Id);
        if (target.Rest.Length == 0)
        {
            // Relative links in the UI need the trailing slash.
            http.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            http.Response.Headers.Location = prefix + "/" + target.Query;
            return;
        }
        var upstream = await FindUpstreamAsync(job, cancellationToken);
        if (upstream is null)
        {
            await DriverUnavailable.WriteAsync(http, job, problems, ApiBase);
            return;
        }
        // Concatenated, not resolved: the rest stays exactly as checked, under the UI's root.
        var destination = new Uri(upstream.BaseAddress.AbsoluteUri + target.Rest[1..] + target.Query);
        var transformer = new SparkUiTransformer(destination, new UpstreamLinks(upstream.BaseAddress, prefix));
        var error = await forwarder.SendAsync(http, upstream.BaseAddress.AbsoluteUri, upstream.Invoker, Config, transformer, cancellationToken);
        if (error != ForwarderError.None)
        {
            await AnswerForwardErrorAsync(http, job, error);
        }
    }

    private async Task<Backends.SparkUiUpstream?> FindUpstreamAsync(Job job, CancellationToken cancellationToken)
    {
        if (job.State is not (JobState.Running or JobState.Cancelling) || job.Cluster is null)
        {
            return null;
        }
        var backend = await backends.ForClusterAsync(job.Cluster, cancellationToken);
        return backend.SparkUi?.FindSparkUi(job);
    }

    private async Task AnswerForwardErrorAsync(HttpContext http, Job job, ForwarderError error)
    {
        var problem = http.Features.Get<IForwarderErrorFeature>()?.Exception;
        LogForwardFailed(job.Id, error, problem?.Message ?? "");
        if (http.Response.HasStarted || error is ForwarderError.RequestCanceled)
        {
            return;
        }
        // The driver may have ended between the look-up and the request: say so if it has.
        var now = await store.Jobs.GetAsync(job.Id, http.RequestAborted) ?? job;
        if (now.State is not (JobState.Running or JobState.Cancelling))
        {
            http.Response.Clear();
            await DriverUnavailable.WriteAsync(http, now, problems, ApiBase);
            return;
        }
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status502BadGateway;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status502BadGateway,
                Title = "The Spark driver's UI did not answer",
                Detail = $"Job {job.Id} is {now.State}, but its driver's UI could not be reached ({error}). Try again; the job's logs are at {ApiBase}{SparkUiPaths.Logs(job.Id)}.",
            },
        });
    }

    private static string RawTarget(HttpContext http) =>
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString);
}
