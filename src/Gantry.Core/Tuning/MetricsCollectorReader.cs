using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Kinds;

namespace Gantry.Core.Tuning;

/// <summary>
/// Reads <c>spec.metricsCollectorSpec</c> with Katib's rules: a known collector kind, filters that
/// compile and capture a name and a value, a file source for File, a directory for TensorFlowEvent,
/// a container for Custom. Absent, the collector is StdOut, Katib's default.
/// </summary>
internal static class MetricsCollectorReader
{
    public const int MaxFilters = 16;

    public static MetricsCollector? Read(ManifestReader read, JsonObject? spec, string specPath)
    {
        var path = $"{specPath}.metricsCollectorSpec";
        var node = read.Object(spec, specPath, "metricsCollectorSpec");
        if (node is null)
        {
            return null;
        }
        var collector = read.Object(node, path, "collector");
        var kindText = read.String(collector, $"{path}.collector", "kind");
        CollectorKind? kind = kindText is null ? CollectorKind.StdOut
            : Enum.TryParse<CollectorKind>(kindText, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && kindText == parsed.ToString() ? parsed : null;
        if (kind is null)
        {
            read.Errors.Add($"{path}.collector.kind", $"must be one of {string.Join(", ", Enum.GetNames<CollectorKind>())}, not '{kindText}'");
            return null;
        }
        var source = read.Object(node, path, "source");
        var filters = ReadFilters(read, source, $"{path}.source");
        var file = read.Object(source, $"{path}.source", "fileSystemPath");
        var filePath = read.String(file, $"{path}.source.fileSystemPath", "path");
        var fileKind = read.String(file, $"{path}.source.fileSystemPath", "kind");
        var format = read.String(file, $"{path}.source.fileSystemPath", "format");
        if (format is not null and not ("TEXT" or "JSON"))
        {
            read.Errors.Add($"{path}.source.fileSystemPath.format", $"must be TEXT or JSON, not '{format}'");
        }
        var hasCustomContainer = collector?["customCollector"] is JsonObject;
        switch (kind)
        {
            case CollectorKind.File:
                RequirePath(read, filePath, fileKind, "File", path);
                if (format == "JSON" && filters.Count > 0)
                {
                    read.Errors.Add($"{path}.source.filter", "must not be set with the JSON format (every key of a line is a metric)");
                }
                break;
            case CollectorKind.TensorFlowEvent:
                RequirePath(read, filePath, fileKind, "Directory", path);
                break;
            case CollectorKind.Custom when !hasCustomContainer:
                read.Errors.Add($"{path}.collector.customCollector", "is required for the Custom collector (the container that collects)");
                break;
        }
        // Katib's defaults for the file-based collectors (katib-config.yaml).
        filePath ??= kind switch
        {
            CollectorKind.File => "/var/log/katib/metrics.log",
            CollectorKind.TensorFlowEvent => "/var/log/katib/tfevent/",
            _ => null,
        };
        return new MetricsCollector(kind.Value, filters, filePath, format ?? (kind == CollectorKind.File ? "TEXT" : null));
    }

    private static List<string> ReadFilters(ManifestReader read, JsonObject? source, string path)
    {
        var filters = new List<string>();
        var filter = read.Object(source, path, "filter");
        var array = read.Array(filter, $"{path}.filter", "metricsFormat");
        if (array is null)
        {
            return filters;
        }
        if (array.Count > MaxFilters)
        {
            read.Errors.Add($"{path}.filter.metricsFormat", $"may hold at most {MaxFilters} formats, not {array.Count}");
            return filters;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"{path}.filter.metricsFormat[{i}]";
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                read.Errors.Add(field, "must be a regular expression");
                continue;
            }
            var pattern = v.GetValue<string>();
            try
            {
                var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                // Group 1 is the metric's name and group 2 its value, as Katib's collector reads them.
                if (regex.GetGroupNumbers().Length < 3)
                {
                    read.Errors.Add(field, "must capture the metric's name (group 1) and its value (group 2)");
                    continue;
                }
                filters.Add(pattern);
            }
            catch (ArgumentException ex)
            {
                read.Errors.Add(field, $"is not a regular expression: {ex.Message}");
            }
        }
        return filters;
    }

    private static void RequirePath(ManifestReader read, string? filePath, string? fileKind, string expectedKind, string path)
    {
        if (filePath is not null && !filePath.StartsWith('/'))
        {
            read.Errors.Add($"{path}.source.fileSystemPath.path", "must be an absolute path");
        }
        if (fileKind is not null && fileKind != expectedKind)
        {
            read.Errors.Add($"{path}.source.fileSystemPath.kind", $"must be {expectedKind}, not '{fileKind}'");
        }
    }
}
