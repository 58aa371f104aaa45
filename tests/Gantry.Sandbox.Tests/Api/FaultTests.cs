using System.Net;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Autorest;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>Faults on demand, on a cluster of their own: hangs, 500/429, cut watches, and the API server stopping and coming back.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private SandboxCluster _cluster = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync(new SandboxClusterOptions { Name = "faults", CrdDirectory = SharedFiles.Crds }, CancellationToken.None);
        _client = SandboxFixture.ClientFor(_cluster);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task An_unresponsive_server_hangs_until_the_client_gives_up_and_answers_once_cleared()
    {
        _cluster.Faults.Unresponsive = true;
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.CoreV1.ListNamespaceAsync(cancellationToken: patience.Token));
        var pending = _client.CoreV1.ListNamespaceAsync();
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);
        _cluster.Faults.Clear();

        Assert.NotEmpty((await pending).Items);
    }

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(429, "TooManyRequests")]
    public async Task FailWith_answers_every_request_with_that_status(int code, string reason)
    {
        _cluster.Faults.FailWith(code);
        using var http = SandboxHttp.Client(_cluster);

        var response = await http.GetAsync("/api/v1/namespaces");
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        _cluster.Faults.Clear();

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(reason, status.Text("reason"));
        Assert.Equal(code == 429, response.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces")).StatusCode);
    }

    [Fact]
    public async Task DropWatches_cuts_an_open_watch_stream()
    {
        var version = AsNode(await _client.CustomObjects.ListNamespacedCustomObjectAsync(SparkGroup, SparkVersion, "default", SparkPlural)).Text("metadata.resourceVersion");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var open = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in _client.CustomObjects.WatchListNamespacedCustomObjectAsync(SparkGroup, SparkVersion, "default", SparkPlural,
                resourceVersion: version, timeoutSeconds: 120, cancellationToken: deadline.Token))
            {
                open.TrySetResult();
            }
        });
        // The watch replays from the listed version, so its first event (this object) proves the stream is open.
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("cut", duration: "1h"), SparkGroup, SparkVersion, "default", SparkPlural);
        await open.Task.WaitAsync(TimeSpan.FromSeconds(60));

        _cluster.Faults.DropWatches();

        var error = await Record.ExceptionAsync(() => watching);
        Assert.False(deadline.IsCancellationRequested, "the watch should end because it was cut, not by the test's deadline");
        Assert.True(error is IOException or HttpRequestException || error?.InnerException is IOException, $"expected a transport error, got {error}");
    }

    [Fact]
    public async Task Stop_refuses_connections_and_restart_comes_back_on_the_same_port_with_the_same_objects()
    {
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Spark("survivor", duration: "1h"), SparkGroup, SparkVersion, "default", SparkPlural);
        var port = _cluster.Server.Port;

        await _cluster.StopAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => _client.CoreV1.ListNamespaceAsync());
        await _cluster.RestartAsync();

        Assert.Equal(port, _cluster.Server.Port);
        var back = AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync(SparkGroup, SparkVersion, "default", SparkPlural, "survivor"));
        Assert.Equal("survivor", back.Text("metadata.name"));
    }
}
