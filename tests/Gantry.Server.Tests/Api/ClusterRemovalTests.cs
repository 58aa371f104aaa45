using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Jobs;
using Gantry.Core.Resources;
using Gantry.Storage;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Api;

public sealed class ClusterRemovalTests
{
    [Fact]
    public async Task Delete_of_a_cluster_with_an_active_job_is_409_saying_to_cordon_it_and_succeeds_once_the_job_ended()
    {
        await using var gateway = await TestGateway.StartAsync();
        // Nothing may run locally, so the job below stays where this test puts it.
        await gateway.SetCordonAsync(true);
        using var admin = gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/clusters", new { name = "busy", server = "https://10.0.0.1:6443", token = "t" })).EnsureSuccessStatusCode();
        var store = gateway.Services.GetRequiredService<IGantryStore>();
        var job = await PlaceAsync(store, "busy", JobState.Running);

        var refused = await admin.DeleteAsync("api/v1/clusters/busy");
        await PlaceAsync(store, job.Id, JobState.Succeeded, existing: true);
        var removed = await admin.DeleteAsync("api/v1/clusters/busy");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("1 active job(s); cordon it instead", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }

    /// <summary>A job the store says is in <paramref name="state"/> on a cluster, as the Kubernetes backend would leave it.</summary>
    private static async Task<Job> PlaceAsync(IGantryStore store, string clusterOrId, JobState state, bool existing = false)
    {
        var now = DateTimeOffset.UtcNow;
        var job = existing
            ? (await store.Jobs.GetAsync(clusterOrId, CancellationToken.None))!
            : (await store.Jobs.InsertAsync(new NewJob(new Job
            {
                // A kind the Kubernetes backend runs: it takes the job back when it connects to the cluster.
                Id = JobId.New(), Name = "pinned", Kind = "JAXJob", Queue = "default", Owner = "admin",
                Manifest = """{"apiVersion":"kubeflow.org/v1","kind":"JAXJob","spec":{"jaxReplicaSpecs":{"Worker":{"replicas":1}}}}""",
                Demand = new ResourceDemand([new PodDemand("main", 1, new Resources(100, 1 << 20, 0))]),
                CreatedAt = now, UpdatedAt = now,
            }, null, null), CancellationToken.None)).Job;
        var path = job.State == JobState.Queued ? new[] { JobState.Dispatching, state } : [state];
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var current = (await store.Jobs.GetAsync(job.Id, CancellationToken.None))!;
                if (!existing)
                {
                    current = current with { Cluster = clusterOrId };
                }
                foreach (var to in path)
                {
                    var (next, transition) = current.TransitionTo(to, "set by the test", now);
                    current = await store.Jobs.UpdateAsync(next, transition, CancellationToken.None);
                }
                return current;
            }
            catch (ConcurrencyException) when (attempt < 10)
            {
                // The scheduler rewrote the queued job's message meanwhile.
            }
        }
    }
}
