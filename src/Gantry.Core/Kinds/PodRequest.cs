using System.Text.Json.Nodes;
using Gantry.Core.Resources;

namespace Gantry.Core.Kinds;

/// <summary>
/// The request the Kubernetes scheduler sees for a pod template: per resource, the larger of the
/// app containers' sum and the largest init container (init containers run one at a time).
/// </summary>
internal static class PodRequest
{
    /// <param name="implicitInit">An init container the operator adds that the template does not show.</param>
    /// <param name="containerDefault">
    /// What an app container that requests no cpu (or no memory) is counted as asking for: without it a
    /// pod requesting nothing "fits" anywhere, the smallest cluster included (docs/scheduling.md).
    /// </param>
    public static Resources.Resources Read(ManifestReader read, JsonObject podSpec, string path, Resources.Resources implicitInit, Resources.Resources containerDefault)
    {
        var containersPath = $"{path}.containers";
        var array = read.Array(podSpec, path, "containers", required: true);
        if (array is { Count: 0 })
        {
            read.Errors.Add(containersPath, "must list at least one container");
        }
        var containers = Objects(read, array, containersPath);
        var sum = Resources.Resources.Zero;
        foreach (var (container, containerPath) in containers)
        {
            sum = Add(read, sum, Container(read, container, containerPath, containerDefault), path);
        }
        var init = implicitInit;
        foreach (var (container, containerPath) in Objects(read, read.Array(podSpec, path, "initContainers"), $"{path}.initContainers"))
        {
            // Init containers run one at a time before the app starts: they are not given the default.
            init = Resources.Resources.Max(init, Container(read, container, containerPath, Resources.Resources.Zero));
        }
        return Resources.Resources.Max(sum, init);
    }

    /// <summary>The array's elements that are objects, each with its path; any other element is an error.</summary>
    public static List<(JsonObject Item, string Path)> Objects(ManifestReader read, JsonArray? array, string path)
    {
        var items = new List<(JsonObject, string)>();
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            if (array![i] is JsonObject item)
            {
                items.Add((item, $"{path}[{i}]"));
            }
            else
            {
                read.Errors.Add($"{path}[{i}]", "must be an object");
            }
        }
        return items;
    }

    private static Resources.Resources Container(ManifestReader read, JsonObject container, string path, Resources.Resources fallback)
    {
        read.String(container, path, "name", required: true);
        var resourcesPath = $"{path}.resources";
        var resources = read.Object(container, path, "resources");
        var requests = Amounts(read, read.Object(resources, resourcesPath, "requests"), $"{resourcesPath}.requests");
        var limits = Amounts(read, read.Object(resources, resourcesPath, "limits"), $"{resourcesPath}.limits");
        // Kubernetes defaults a missing request to its limit, resource by resource.
        foreach (var (name, limit) in limits)
        {
            requests.TryAdd(name, limit);
        }
        // Each GPU amount is capped at int.MaxValue when parsed, so this sum cannot overflow.
        var gpu = requests.Where(r => GpuResource.IsGpu(r.Key)).Sum(r => r.Value);
        return new Resources.Resources(
            requests.TryGetValue("cpu", out var cpu) ? cpu : fallback.CpuMillis,
            requests.TryGetValue("memory", out var memory) ? memory : fallback.MemoryBytes,
            gpu);
    }

    /// <summary>cpu in millicores, memory in bytes, GPUs as counts; other resources are only checked.</summary>
    private static Dictionary<string, long> Amounts(ManifestReader read, JsonObject? amounts, string path)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, _) in amounts ?? [])
        {
            if (read.Scalar(amounts, path, name) is not { } text)
            {
                continue;
            }
            if (TryParseAmount(name, text, out var amount, out var problem))
            {
                result[name] = amount;
            }
            else
            {
                read.Errors.Add($"{path}.{name}", problem);
            }
        }
        return result;
    }

    private static bool TryParseAmount(string name, string text, out long amount, out string problem)
    {
        amount = 0;
        switch (name)
        {
            case "cpu":
                return Quantity.TryParseCpuMillis(text, out amount, out problem);
            case "memory":
                return Quantity.TryParseBytes(text, out amount, out problem);
        }
        if (!Quantity.TryParse(text, out var value, out problem))
        {
            return false;
        }
        if (!GpuResource.IsGpu(name))
        {
            return true;
        }
        if (value != decimal.Truncate(value) || value > int.MaxValue)
        {
            problem = $"'{text}' must be a whole number of GPUs";
            return false;
        }
        amount = (long)value;
        return true;
    }

    private static Resources.Resources Add(ManifestReader read, Resources.Resources a, Resources.Resources b, string path)
    {
        try
        {
            return new Resources.Resources(
                checked(a.CpuMillis + b.CpuMillis), checked(a.MemoryBytes + b.MemoryBytes), checked(a.Gpu + b.Gpu));
        }
        catch (OverflowException)
        {
            read.Errors.Add(path, "the containers' total resources are too large to represent");
            return a;
        }
    }
}
