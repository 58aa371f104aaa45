using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Backends.Local;

/// <summary>
/// The <c>spark-submit --master local[N]</c> command line for a SparkApplication manifest (validated at
/// submission): N = driver cores + executor cores x instances, capped by this machine's cores; the
/// Spark UI on <c>uiPort</c>, its links under <c>uiProxyBase</c> (the gateway's path for it). Pure:
/// manifest in, argv out.
/// </summary>
internal static class SparkSubmitCommand
{
    private const string LocalScheme = "local://";
    private const string UiPort = "spark.ui.port";
    private const string UiProxyBase = "spark.ui.proxyBase";

    private static readonly (string Field, string Flag)[] Deps =
    [
        ("jars", "--jars"), ("pyFiles", "--py-files"), ("files", "--files"), ("archives", "--archives"),
        ("packages", "--packages"), ("excludePackages", "--exclude-packages"), ("repositories", "--repositories"),
    ];

    public static IReadOnlyList<string> Build(string sparkSubmit, string manifestJson, int machineCores, int uiPort, string? uiProxyBase = null)
    {
        var manifest = JsonNode.Parse(manifestJson) as JsonObject ?? [];
        var spec = manifest["spec"] as JsonObject ?? [];
        var driver = spec["driver"] as JsonObject ?? [];
        var executor = spec["executor"] as JsonObject ?? [];
        var cores = Integer(driver, "cores", 1) + (Integer(executor, "cores", 1) * Integer(executor, "instances", 1));
        var threads = Math.Clamp(cores, 1, Math.Max(machineCores, 1));

        List<string> argv = [sparkSubmit, "--master", $"local[{threads}]", "--name", String(manifest["metadata"] as JsonObject ?? [], "name") ?? "gantry-spark"];
        if (String(spec, "mainClass") is { } mainClass)
        {
            argv.AddRange(["--class", mainClass]);
        }
        if (String(driver, "memory") is { } memory)
        {
            // In local mode the driver JVM is the whole application.
            argv.AddRange(["--driver-memory", memory]);
        }
        foreach (var (key, value) in spec["sparkConf"] as JsonObject ?? [])
        {
            if (key != UiPort && !(key == UiProxyBase && uiProxyBase is not null))
            {
                argv.AddRange(["--conf", $"{key}={Text(value)}"]);
            }
        }
        argv.AddRange(["--conf", $"{UiPort}={uiPort.ToString(CultureInfo.InvariantCulture)}"]);
        if (uiProxyBase is not null)
        {
            argv.AddRange(["--conf", $"{UiProxyBase}={uiProxyBase}"]);
        }
        var deps = spec["deps"] as JsonObject ?? [];
        foreach (var (field, flag) in Deps)
        {
            var items = (deps[field] as JsonArray ?? []).Select(n => Path(Text(n))).ToList();
            if (items.Count > 0)
            {
                argv.AddRange([flag, string.Join(",", items)]);
            }
        }
        argv.Add(Path(String(spec, "mainApplicationFile") ?? ""));
        argv.AddRange((spec["arguments"] as JsonArray ?? []).Select(Text));
        return argv;
    }

    /// <summary><c>local:///opt/app.jar</c> is a file on the machine that runs Spark: locally, this one.</summary>
    private static string Path(string uri) => uri.StartsWith(LocalScheme, StringComparison.Ordinal) ? uri[LocalScheme.Length..] : uri;

    private static int Integer(JsonObject node, string field, int fallback) =>
        node[field] is JsonValue v && v.TryGetValue<long>(out var n) && n >= 0 && n <= int.MaxValue ? (int)n : fallback;

    private static string? String(JsonObject node, string field) =>
        node[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? "";
}
