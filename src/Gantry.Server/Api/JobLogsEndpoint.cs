using System.Text;
using System.Text.Json;
using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Server.Auth;
using Gantry.Server.Clusters;
using Gantry.Server.Jobs;
using Gantry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary><c>GET /api/v1/jobs/{id}/logs</c>: the log as text, once or following until the job ends.</summary>
internal static class JobLogsEndpoint
{
    // How often a follower waiting for its job to start looks again without a local wake-up (other replicas).
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(2);

    public static async Task HandleAsync(
        string id, HttpContext http, JobLifecycle lifecycle, IGantryStore store, BackendRegistry backends, JobChangeNotifier notifier, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        var job = await lifecycle.GetVisibleAsync(id, caller, cancellationToken);
        var request = new LogRequest(
            QueryReader.Bool(http.Request, "follow"),
            QueryReader.Int(http.Request, "tail", 0, 10_000_000),
            QueryReader.String(http.Request, "replica"));
        // Following a job that has not started yet: wait for it to start (or end).
        while (request.Follow && job.State is JobState.Queued or JobState.Dispatching)
        {
            var changed = notifier.Signal(job.Id);
            job = await store.Jobs.GetAsync(job.Id, cancellationToken) ?? job;
            if (job.State is JobState.Queued or JobState.Dispatching)
            {
                await Task.WhenAny(changed, Task.Delay(WatchPoll, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        http.Response.ContentType = "text/plain; charset=utf-8";
        if (job.Cluster is null)
        {
            return;
        }
        var backend = await backends.ForClusterAsync(job.Cluster, cancellationToken);
        if (request.Follow)
        {
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        }
        try
        {
            await backend.Logs.CopyLogAsync(job, request, http.Response.Body, cancellationToken);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The follower went away; nothing to answer.
        }
    }

}
