using Microsoft.Extensions.Logging;

namespace Gantry.Sandbox;

/// <summary>
/// Several simulated clusters of different sizes and labels (region, GPU type), for
/// <c>gantry serve --sandbox-clusters N</c>, demos of multi-cluster routing, and tests.
/// </summary>
public static class SandboxFleet
{
    private static readonly string[] Regions = ["us-east", "us-west", "eu-central", "ap-south"];

    /// <summary>Starts <paramref name="count"/> clusters; jobs run 2 s unless annotated.</summary>
    public static Task<IReadOnlyList<SandboxCluster>> StartAsync(int count, string? crdDirectory, CancellationToken ct) =>
        StartAsync(count, crdDirectory, TimeSpan.FromSeconds(2), null, ct);

    public static async Task<IReadOnlyList<SandboxCluster>> StartAsync(
        int count, string? crdDirectory, TimeSpan defaultRunDuration, ILoggerFactory? loggerFactory, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var options = Enumerable.Range(0, count).Select(i => Shape(i) with
        {
            CrdDirectory = crdDirectory,
            DefaultRunDuration = defaultRunDuration,
            LoggerFactory = loggerFactory,
        }).ToList();
        var started = new List<SandboxCluster>();
        try
        {
            foreach (var option in options)
            {
                started.Add(await SandboxCluster.StartAsync(option, ct));
            }
            return started;
        }
        catch
        {
            foreach (var cluster in started)
            {
                await cluster.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>One kubeconfig with a context per cluster, named after it, each with the cluster's admin token.</summary>
    public static string Kubeconfig(IEnumerable<SandboxCluster> clusters) =>
        KubeconfigWriter.Write([.. clusters.Select(c => (c, c.AdminToken))]);

    /// <summary>
    /// The i-th cluster's shape: the first has CPU nodes and one 4-GPU node, the second is CPU only
    /// and large, the third is a GPU cluster; the rest are small CPU clusters across regions.
    /// Every shape fits each operator example (the GPU examples need 2 GPUs, on GPU clusters). Each
    /// has its own set of the shipped ClusterTrainingRuntimes (the GPU cluster all of them), so a
    /// TrainJob's runtime decides where it may go: jax-distributed only east and gpu, xgboost only west and gpu.
    /// </summary>
    private static SandboxClusterOptions Shape(int index)
    {
        var region = Regions[index % Regions.Length];
        Dictionary<string, string> Labels(string size, string? gpu)
        {
            var labels = new Dictionary<string, string> { ["region"] = region, ["size"] = size, ["gantry.io/sandbox"] = "true" };
            if (gpu is not null)
            {
                labels["gpu-type"] = gpu;
            }
            return labels;
        }
        var gpuLabels = (string type) => new Dictionary<string, string> { ["nvidia.com/gpu.product"] = type };
        // Upstream's runtime-patches example selects nodes labelled node-type=training.
        var training = new Dictionary<string, string> { ["node-type"] = "training" };
        return index switch
        {
            0 => new SandboxClusterOptions
            {
                Name = "sandbox-east",
                Labels = Labels("medium", "a100"),
                TrainingRuntimes = ["torch-distributed", "deepspeed-distributed", "jax-distributed", "torchtune-llama3.2-1b"],
                Nodes =
                [
                    new("east-cpu-1", "8", "32Gi", 0, training), new("east-cpu-2", "8", "32Gi", 0, training), new("east-cpu-3", "8", "32Gi"),
                    new("east-gpu-1", "16", "64Gi", 4, gpuLabels("A100")),
                ],
            },
            1 => new SandboxClusterOptions
            {
                Name = "sandbox-west",
                Labels = Labels("large", null),
                TrainingRuntimes = ["torch-distributed", "mlx-distributed", "xgboost-distributed"],
                Nodes = [new("west-cpu-1", "32", "128Gi", 0, training), new("west-cpu-2", "32", "128Gi")],
            },
            2 => new SandboxClusterOptions
            {
                Name = "sandbox-gpu",
                Labels = Labels("large", "h100"),
                Nodes = [new("gpu-1", "32", "256Gi", 8, gpuLabels("H100")), new("gpu-2", "32", "256Gi", 8, gpuLabels("H100"))],
            },
            _ => new SandboxClusterOptions
            {
                Name = $"sandbox-{index + 1}",
                Labels = Labels("small", null),
                TrainingRuntimes = ["torch-distributed"],
                Nodes = [new($"s{index + 1}-cpu-1", "8", "32Gi"), new($"s{index + 1}-cpu-2", "8", "32Gi")],
            },
        };
    }
}
