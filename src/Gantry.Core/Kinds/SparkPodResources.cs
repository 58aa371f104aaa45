using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Core.Kinds;

/// <summary>
/// What Spark requests for one driver or executor pod (spark-operator reference §5): CPU from
/// <c>coreRequest</c> or <c>cores</c>, memory = heap + overhead (+ executor extras) rounded down
/// to whole MiB, GPUs from <c>gpu</c>. Spec fields win over <c>sparkConf</c>, as in the operator's
/// submission, where spec-derived <c>--conf</c> flags come last.
/// </summary>
internal static class SparkPodResources
{
    private const decimal BytesPerMiB = 1024 * 1024;
    private const decimal DefaultHeapMiB = 1024;
    private const decimal DefaultMinOverheadMiB = 384;
    // 1 EiB: far beyond any node, and its byte count still fits in a long.
    private const decimal MaxPodMiB = 1024m * 1024 * 1024 * 1024;
    private const decimal JvmOverheadFactor = 0.10m;
    private const decimal NonJvmOverheadFactor = 0.40m;

    /// <param name="role"><c>driver</c> or <c>executor</c>, as Spark spells it in its conf keys.</param>
    /// <param name="specOverheadFactor"><c>spec.memoryOverheadFactor</c>, if set.</param>
    public static Resources.Resources Read(
        ManifestReader read, JsonObject? pod, string role, SparkConf conf, string? appType, SparkSetting? specOverheadFactor)
    {
        var path = $"manifest.spec.{role}";
        read.String(pod, path, "image");
        read.String(pod, path, "serviceAccount");
        read.String(pod, path, "memoryLimit");
        var cpu = CpuMillis(read, pod, path, role, conf);
        var memory = MemoryMiB(read, pod, path, role, conf, appType, specOverheadFactor);
        return new Resources.Resources(cpu, (long)(memory * BytesPerMiB), Gpus(read, pod, path));
    }

    private static decimal MemoryMiB(
        ManifestReader read, JsonObject? pod, string path, string role, SparkConf conf, string? appType, SparkSetting? specOverheadFactor)
    {
        try
        {
            var mib = UncheckedMemoryMiB(read, pod, path, role, conf, appType, specOverheadFactor);
            if (mib <= MaxPodMiB)
            {
                return mib;
            }
        }
        catch (OverflowException)
        {
            // Reported below like any other size that cannot be represented.
        }
        read.Errors.Add($"{path}.memory", "the pod's memory (heap + overhead) is too large");
        return 0;
    }

    private static long CpuMillis(ManifestReader read, JsonObject? pod, string path, string role, SparkConf conf)
    {
        var cores = read.Integer(pod, path, "cores", min: 1, max: int.MaxValue)
            ?? conf.Integer(read, $"spark.{role}.cores", min: 1)
            ?? 1;
        var request = cores * 1000;
        if (FieldOrConf(read, pod, path, "coreRequest", conf, $"spark.kubernetes.{role}.request.cores") is { } coreRequest)
        {
            if (Quantity.TryParseCpuMillis(coreRequest.Text, out var millis, out var problem))
            {
                request = millis;
            }
            else
            {
                read.Errors.Add(coreRequest.Path, problem);
            }
        }
        if (read.String(pod, path, "coreLimit") is { } coreLimit)
        {
            if (!Quantity.TryParseCpuMillis(coreLimit, out var limit, out var problem))
            {
                read.Errors.Add($"{path}.coreLimit", problem);
            }
            else if (limit < request)
            {
                // Kubernetes rejects a pod whose CPU request exceeds its limit, so the driver would never start.
                read.Errors.Add($"{path}.coreLimit", $"'{coreLimit}' is below the pod's CPU request of {Quantity.FormatCpu(request)}");
            }
        }
        return request;
    }

    private static decimal UncheckedMemoryMiB(
        ManifestReader read, JsonObject? pod, string path, string role, SparkConf conf, string? appType, SparkSetting? specOverheadFactor)
    {
        var heap = MiB(read, FieldOrConf(read, pod, path, "memory", conf, $"spark.{role}.memory"), "m") ?? DefaultHeapMiB;
        var overhead = MiB(read, FieldOrConf(read, pod, path, "memoryOverhead", conf, $"spark.{role}.memoryOverhead"), "m");
        if (overhead is null)
        {
            // Spark 3.3+ per-role factor first, then the app-wide one the operator sets from spec.memoryOverheadFactor.
            var isJvm = appType is "Java" or "Scala";
            var factor = Factor(read, conf.Get($"spark.{role}.memoryOverheadFactor"))
                ?? Factor(read, specOverheadFactor)
                ?? Factor(read, conf.Get("spark.kubernetes.memoryOverheadFactor"))
                ?? (isJvm ? JvmOverheadFactor : NonJvmOverheadFactor);
            var floor = MiB(read, conf.Get($"spark.{role}.minMemoryOverhead"), "m") ?? DefaultMinOverheadMiB;
            overhead = Math.Max(heap * factor, floor);
        }
        var extra = role == "executor" ? ExecutorExtraMiB(read, conf, appType) : 0;
        return decimal.Floor(heap + overhead.Value + extra);
    }

    private static decimal ExecutorExtraMiB(ManifestReader read, SparkConf conf, string? appType)
    {
        var extra = appType == "Python" ? MiB(read, conf.Get("spark.executor.pyspark.memory"), "m") ?? 0 : 0;
        if (conf.IsTrue("spark.memory.offHeap.enabled"))
        {
            var offHeap = conf.Get("spark.memory.offHeap.size");
            if (offHeap is null)
            {
                // Spark refuses to start with off-heap enabled and no size.
                read.Errors.Add(SparkConf.PathOf("spark.memory.offHeap.size"), "is required when spark.memory.offHeap.enabled is true");
            }
            // Spark reads a bare number here as bytes, unlike the MiB of the other memory settings.
            extra += MiB(read, offHeap, "b") ?? 0;
        }
        return extra;
    }

    private static long Gpus(ManifestReader read, JsonObject? pod, string path)
    {
        var gpuPath = $"{path}.gpu";
        var gpu = read.Object(pod, path, "gpu");
        if (gpu is null)
        {
            return 0;
        }
        var name = read.String(gpu, gpuPath, "name", required: true);
        var quantity = read.Integer(gpu, gpuPath, "quantity", required: true, min: 0);
        return name is not null && GpuResource.IsGpu(name) ? quantity ?? 0 : 0;
    }

    private static SparkSetting? FieldOrConf(ManifestReader read, JsonObject? pod, string path, string field, SparkConf conf, string key) =>
        read.String(pod, path, field) is { } text ? new SparkSetting(text, $"{path}.{field}") : conf.Get(key);

    private static decimal? MiB(ManifestReader read, SparkSetting? setting, string bareNumberUnit)
    {
        if (setting is not { } s)
        {
            return null;
        }
        if (JavaMemory.TryParseMiB(s.Text, bareNumberUnit, out var mib, out var problem))
        {
            return mib;
        }
        read.Errors.Add(s.Path, problem);
        return null;
    }

    private static decimal? Factor(ManifestReader read, SparkSetting? setting)
    {
        if (setting is not { } s)
        {
            return null;
        }
        if (decimal.TryParse(s.Text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var factor))
        {
            return factor;
        }
        read.Errors.Add(s.Path, $"'{s.Text}' is not a factor of zero or more (example: 0.2)");
        return null;
    }
}
