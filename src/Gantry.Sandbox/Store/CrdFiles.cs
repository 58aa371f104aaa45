using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Gantry.Core.Manifests;

namespace Gantry.Sandbox.Store;

/// <summary>
/// The CRDs in a directory, each YAML file parsed once per process: they are 0.5-0.9 MB each and
/// a fleet of clusters (or a test run) installs them many times.
/// </summary>
internal static class CrdFiles
{
    private static readonly ConcurrentDictionary<(string Path, DateTime Written), Lazy<IReadOnlyList<JsonObject>>> Cache = new();

    /// <summary>The CustomResourceDefinition documents of every <c>*.yaml</c> file in <paramref name="directory"/>; callers get copies.</summary>
    public static IReadOnlyList<JsonObject> Load(string directory) =>
        [.. Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).SelectMany(LoadFile).Select(d => d.DeepClone().AsObject())];

    private static IReadOnlyList<JsonObject> LoadFile(string path) =>
        Cache.GetOrAdd((path, File.GetLastWriteTimeUtc(path)), key => new Lazy<IReadOnlyList<JsonObject>>(() =>
            [.. YamlJson.ParseAll(File.ReadAllText(key.Path), DocumentLimits.Files)
                .OfType<JsonObject>()
                .Where(d => ObjectMeta.Text(d["kind"]) == "CustomResourceDefinition")])).Value;
}
