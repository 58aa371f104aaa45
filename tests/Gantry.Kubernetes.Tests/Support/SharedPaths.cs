namespace Gantry.Kubernetes.Tests.Support;

/// <summary>The team's <c>shared/</c> directory (real CRDs, operator examples), beside the repository.</summary>
internal static class SharedPaths
{
    private static readonly Lazy<string> Root = new(FindShared);

    public static string Crds => Path.Combine(Root.Value, "crds");

    public static string Example(string operatorName, string file) => Path.Combine(Root.Value, "examples", operatorName, file);

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared") })
            {
                if (Directory.Exists(Path.Combine(candidate, "crds")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        // Failing loudly keeps the schema tests from passing against permissive built-in CRDs.
        throw new DirectoryNotFoundException($"No shared/crds directory found above {AppContext.BaseDirectory}.");
    }
}
