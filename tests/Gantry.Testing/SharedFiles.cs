namespace Gantry.Testing;

/// <summary>The team's shared/ directory (real CRDs, operators' examples), found beside the repository.</summary>
public static class SharedFiles
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Crds => Path.Combine(Root.Value, "crds");

    public static string Examples(string operatorName) => Path.Combine(Root.Value, "examples", operatorName);

    /// <summary>One example, as <c>spark-operator/spark-pi.yaml</c> or by operator and file.</summary>
    public static string Example(string path) => Path.Combine(Root.Value, "examples", path);

    public static string Example(string operatorName, string file) => Path.Combine(Root.Value, "examples", operatorName, file);

    private static string Find()
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
        throw new DirectoryNotFoundException($"No shared/crds directory found above {AppContext.BaseDirectory} (expected shared/ beside the repository).");
    }
}
