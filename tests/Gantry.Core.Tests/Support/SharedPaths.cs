namespace Gantry.Core.Tests.Support;

/// <summary>
/// Finds the team's <c>shared/</c> directory (operator examples, CRDs), which sits beside the
/// repository rather than in it, by walking up from the test binaries.
/// </summary>
internal static class SharedPaths
{
    private static readonly Lazy<string> Root = new(FindShared);

    public static string Shared => Root.Value;

    public static string Examples(string operatorName) => Path.Combine(Shared, "examples", operatorName);

    public static string Crd(string file) => Path.Combine(Shared, "crds", file);

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared") })
            {
                if (Directory.Exists(Path.Combine(candidate, "examples")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        // Failing loudly keeps the example tests from passing vacuously on a machine without shared/.
        throw new DirectoryNotFoundException(
            $"No shared/examples directory found above {AppContext.BaseDirectory} (expected shared/ beside the repository).");
    }
}
