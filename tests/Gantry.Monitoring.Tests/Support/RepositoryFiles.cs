namespace Gantry.Monitoring.Tests.Support;

/// <summary>Files of this repository (deploy/), found above the test's output directory.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Gantry.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Gantry.slnx above {AppContext.BaseDirectory}.");
    });

    public static string Path(string relative) => System.IO.Path.Combine(Root.Value, relative);
}
