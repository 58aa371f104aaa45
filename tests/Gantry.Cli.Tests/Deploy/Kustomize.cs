using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>
/// Renders deploy/kustomize with Debian's <c>kubectl kustomize</c>, as <c>kubectl apply -k</c>
/// would, each render once per test run. Renders with components go through a throwaway
/// kustomization outside the repository that refers to the overlay and components by relative
/// path, exactly as an operator's own overlay does.
/// </summary>
public static class Kustomize
{
    public const string Kubectl = "/usr/bin/kubectl";

    /// <summary>Every render the tests check: each overlay alone, and each with every component.</summary>
    public static readonly string[] Renders = ["single", "ha", "single+ingress+monitoring+namespace-sharing", "ha+ingress+monitoring+namespace-sharing"];

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Cache = new(StringComparer.Ordinal);

    public static string Root { get; } = FindRoot();

    public static string DeployDir => Path.Combine(Root, "deploy", "kustomize");

    /// <summary>The rendered YAML of <paramref name="render"/>: "overlay" or "overlay+component+component".</summary>
    public static Task<string> RenderAsync(string render) =>
        Cache.GetOrAdd(render, r => new Lazy<Task<string>>(() => RenderUncachedAsync(r))).Value;

    private static async Task<string> RenderUncachedAsync(string render)
    {
        var parts = render.Split('+');
        var overlay = Path.Combine(DeployDir, "overlays", parts[0]);
        if (parts.Length == 1)
        {
            return await RunAsync(overlay);
        }
        var dir = Directory.CreateTempSubdirectory("gantry-kustomize-");
        try
        {
            string Relative(string target) => Path.GetRelativePath(dir.FullName, target);
            var components = parts.Skip(1).Select(c => $"  - {Relative(Path.Combine(DeployDir, "components", c))}\n");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "kustomization.yaml"),
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" +
                // As docs/deploy.md tells operators: the components' objects need the namespace too.
                "namespace: gantry\n" +
                $"resources:\n  - {Relative(overlay)}\ncomponents:\n{string.Concat(components)}");
            return await RunAsync(dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string directory)
    {
        Assert.True(File.Exists(Kubectl), $"{Kubectl} is missing: apt-get install kubectl (scripts/test.sh installs it).");
        var start = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} failed: {await error}");
        return await output;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gantry.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Gantry.slnx above {AppContext.BaseDirectory}.");
    }
}
