namespace Gantry.Sandbox.Store;

/// <summary>Where an object is stored: its group and plural (any version) plus namespace ("" for cluster scope) and name.</summary>
internal readonly record struct ObjectKey(string Group, string Plural, string Namespace, string Name)
{
    public static ObjectKey For(ResourceType type, string? ns, string name) =>
        new(type.Group, type.Plural, type.Namespaced ? ns ?? "" : "", name);
}
