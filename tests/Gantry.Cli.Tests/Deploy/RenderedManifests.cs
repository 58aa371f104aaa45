using k8s;
using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>
/// A render's objects, each loaded strictly into KubernetesClient's typed model for its
/// apiVersion and kind (an unknown field, a duplicate key or an unknown kind throws).
/// </summary>
public sealed class RenderedManifests
{
    private static readonly Dictionary<string, Type> MonitoringTypes = new(StringComparer.Ordinal)
    {
        [ServiceMonitor.TypeKey] = typeof(ServiceMonitor),
        [PrometheusRule.TypeKey] = typeof(PrometheusRule),
    };

    public required string Name { get; init; }
    public required string Yaml { get; init; }
    public required IReadOnlyList<object> Objects { get; init; }

    public static async Task<RenderedManifests> LoadAsync(string render)
    {
        var yaml = await Kustomize.RenderAsync(render);
        return new RenderedManifests { Name = render, Yaml = yaml, Objects = KubernetesYaml.LoadAllFromString(yaml, MonitoringTypes, strict: true) };
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>() => Assert.Single(Objects.OfType<T>());

    public T Named<T>(string name) where T : IMetadata<V1ObjectMeta> =>
        Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{Name}: no {typeof(T).Name} named {name}");

    public V1Deployment Deployment => Single<V1Deployment>();

    public V1Container Gateway => Assert.Single(Deployment.Spec.Template.Spec.Containers);

    public IReadOnlyDictionary<string, string> PodLabels => (IReadOnlyDictionary<string, string>)Deployment.Spec.Template.Metadata.Labels;

    /// <summary>A setting as the container sees it: its own env first, then the ConfigMaps it loads whole.</summary>
    public string? Setting(string name)
    {
        if (Gateway.Env?.FirstOrDefault(e => e.Name == name) is { } env)
        {
            return env.Value;
        }
        foreach (var source in Gateway.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } reference && Named<V1ConfigMap>(reference.Name).Data?.TryGetValue(name, out var value) == true)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>Whether a label selector (matchLabels only, which is all these manifests use) selects <paramref name="labels"/>.</summary>
    public static bool Selects(IDictionary<string, string>? matchLabels, IReadOnlyDictionary<string, string> labels) =>
        matchLabels is { Count: > 0 } && matchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);

    public override string ToString() => Name;
}
