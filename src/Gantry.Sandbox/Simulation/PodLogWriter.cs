using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Simulation;

/// <summary>Writes a few progress lines per second for every running pod, worded by its role (Spark driver, executor, training replica).</summary>
internal sealed class PodLogWriter(ClusterState state)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    private readonly Dictionary<string, (DateTimeOffset Last, int Count)> _progress = [];

    public void Step()
    {
        var now = state.Time.GetUtcNow();
        var running = state.Store.List("", "pods", null, p => PodStatus.Phase(p) == "Running").Items;
        foreach (var pod in running)
        {
            var (last, count) = _progress.GetValueOrDefault(pod.Uid());
            if (now - last < Interval)
            {
                continue;
            }
            state.Logs.Open(pod.Namespace(), pod.Name()).Append(now, Line(pod, count));
            _progress[pod.Uid()] = (now, count + 1);
        }
        var live = running.Select(p => p.Uid()).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _progress.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _progress.Remove(uid);
        }
    }

    private static string Line(JsonObject pod, int n)
    {
        var labels = pod.Labels();
        var i = n + 1;
        if (labels.GetValueOrDefault("spark-role") == "driver")
        {
            return n == 0
                ? $"INFO SparkContext: Running Spark version (sandbox) for {labels.GetValueOrDefault("sparkoperator.k8s.io/app-name")}"
                : string.Create(CultureInfo.InvariantCulture, $"INFO TaskSetManager: Finished task {n} in stage 0.0 (TID {n}) in {40 + (n % 7)} ms ({i}/1000)");
        }
        if (labels.GetValueOrDefault("spark-role") == "executor")
        {
            return string.Create(CultureInfo.InvariantCulture, $"INFO Executor: Finished task {n} in stage 0.0 (TID {n}). 1012 bytes result sent to driver");
        }
        if (labels.TryGetValue("training.kubeflow.org/replica-type", out var type))
        {
            var loss = 2.3 / (1 + (0.15 * n));
            return string.Create(CultureInfo.InvariantCulture, $"[{type}-{labels.GetValueOrDefault("training.kubeflow.org/replica-index")}] Train Epoch: 1 [{i * 640}/60000 ({Math.Min(i * 640 * 100 / 60000, 100)}%)]\tloss={loss:F4}");
        }
        return string.Create(CultureInfo.InvariantCulture, $"working... step {i}");
    }
}
