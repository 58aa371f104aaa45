using Gantry.Core.Schemas;

namespace Gantry.Sandbox.Store;

/// <summary>Every resource type the API server serves: the built-ins plus one per served version of each CRD.</summary>
internal sealed class ResourceCatalog
{
    private readonly Lock _gate = new();
    private readonly List<ResourceType> _types = [.. BuiltInTypes.All];

    public IReadOnlyList<ResourceType> Types
    {
        get
        {
            lock (_gate)
            {
                return [.. _types];
            }
        }
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    /// <summary>Any served version of a group's resource (for RBAC and garbage collection, which ignore versions).</summary>
    public ResourceType? Find(string group, string plural)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Plural == plural);
        }
    }

    public ResourceType? FindKind(string apiVersion, string kind)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
        }
    }

    /// <summary>Serves (or re-serves, after a change) every served version of <paramref name="crd"/>.</summary>
    public void Install(CustomResourceDefinition crd)
    {
        lock (_gate)
        {
            _types.RemoveAll(t => t.IsCustom && t.Group == crd.Group && t.Plural == crd.Plural);
            foreach (var version in crd.Versions.Where(v => v.Served))
            {
                _types.Add(new ResourceType(crd.Group, version.Name, crd.Plural, crd.Kind, crd.Namespaced, version.HasStatusSubresource, version.Schema, IsCustom: true)
                {
                    Singular = crd.Singular,
                    ShortNames = crd.ShortNames,
                    Categories = crd.Categories,
                    PrinterColumns = version.PrinterColumns,
                });
            }
        }
    }

    public void Uninstall(string group, string plural)
    {
        lock (_gate)
        {
            _types.RemoveAll(t => t.IsCustom && t.Group == group && t.Plural == plural);
        }
    }
}
