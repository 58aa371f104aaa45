using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Kubernetes.Tests.Support;
using Gantry.Sandbox;
using Gantry.Testing;

namespace Gantry.Kubernetes.Tests.Kubernetes;

/// <summary>
/// Every job manifest of the operators' own examples (shared/examples), posted as written to the
/// API as YAML, runs to Succeeded on a sandbox fleet validating against the real CRDs. The one
/// change is the image placeholders (<c>{IMAGE_REGISTRY}/{IMAGE_REPOSITORY}</c>) that the Spark
/// operator's release fills in: left as they are, they are not YAML at all (a flow mapping where
/// a string should be), for Gantry as for kubectl. Documents that are not jobs (the ConfigMaps
/// and Secrets a pod template refers to) are cluster set-up, not submissions, and are skipped.
/// </summary>
public sealed partial class OperatorExamplesThroughTheApiTests(OperatorExamplesThroughTheApiTests.Fleet fleet) : IClassFixture<OperatorExamplesThroughTheApiTests.Fleet>
{
    private static readonly HashSet<string> JobKinds = ["SparkApplication", "PyTorchJob", "JAXJob"];

    public static TheoryData<string> Files() =>
    [
        .. new[] { "spark-operator", "training-operator" }
            .SelectMany(op => Directory.GetFiles(SharedFiles.Examples(op), "*.yaml").Select(f => $"{op}/{Path.GetFileName(f)}"))
            .Where(f => !f.EndsWith("spark-pi-scheduled.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task The_example_is_accepted_as_written_and_succeeds(string file)
    {
        using var client = fleet.Gateway.Client();
        var text = File.ReadAllText(SharedFiles.Example(file))
            .Replace("{IMAGE_REGISTRY}", "registry.example.com", StringComparison.Ordinal)
            .Replace("{IMAGE_REPOSITORY}", "gantry", StringComparison.Ordinal);
        var jobs = Documents(text).Where(d => JobKinds.Contains(KindOf(d))).ToList();
        Assert.NotEmpty(jobs);

        foreach (var yaml in jobs)
        {
            using var body = new StringContent(yaml, Encoding.UTF8, "application/yaml");
            var response = await client.PostAsync("api/v1/jobs", body);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

            var done = await client.WaitForStateAsync(id, TimeSpan.FromSeconds(60), "Succeeded", "Failed", "Cancelled");

            Assert.True(done["state"]!.GetValue<string>() == "Succeeded", $"{file}: {done["state"]} {done["message"]}");
            Assert.StartsWith("sandbox-", done["cluster"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_scheduled_spark_application_is_not_a_job_and_is_refused_naming_the_kind()
    {
        using var client = fleet.Gateway.Client();
        using var body = new StringContent(File.ReadAllText(SharedFiles.Example("spark-operator/spark-pi-scheduled.yaml")), Encoding.UTF8, "application/yaml");

        var response = await client.PostAsync("api/v1/jobs", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["manifest.kind"]);
    }

    private static IEnumerable<string> Documents(string yaml) =>
        DocumentSeparator().Split(yaml).Where(d => !string.IsNullOrWhiteSpace(d) && KindOf(d).Length > 0);

    private static string KindOf(string document) => KindLine().Match(document) is { Success: true } m ? m.Groups[1].Value.Trim('"', '\'') : "";

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^kind:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();

    /// <summary>A gateway with the sandbox fleet (GPU clusters included) registered through the API, the local machine cordoned.</summary>
    public sealed class Fleet : IAsyncLifetime
    {
        private IReadOnlyList<SandboxCluster> _clusters = [];

        public TestGateway Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _clusters = await SandboxFleet.StartAsync(3, SharedFiles.Crds, TimeSpan.FromMilliseconds(300), null, CancellationToken.None);
            Gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
            {
                ["Gantry:Kubernetes:RefreshMilliseconds"] = "200",
                ["Gantry:Kubernetes:WatchTimeoutSeconds"] = "10",
            });
            using var admin = Gateway.Client();
            foreach (var cluster in _clusters)
            {
                await admin.RegisterAsync(cluster);
            }
            await Gateway.SetCordonAsync(true);
            await ClusterLookups.EventuallyAsync(async () =>
            {
                var clusters = JsonNode.Parse(await admin.GetStringAsync("api/v1/clusters"))!["items"]!.AsArray();
                return clusters.Count(c => c!["name"]!.GetValue<string>().StartsWith("sandbox-", StringComparison.Ordinal)
                    && c["healthy"]!.GetValue<bool>() && c["kinds"]!.AsArray().Count == 5) == _clusters.Count;
            }, "the gateway observes every sandbox cluster");
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var cluster in _clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
