using System.Diagnostics;

namespace Gantry.Monitoring.Tests.Support;

/// <summary>
/// Debian's Prometheus binaries, run as real processes. A missing binary fails the test (it is
/// not skipped): scripts/test.sh installs the package "prometheus" when it runs as root.
/// </summary>
public static class Tool
{
    public const string Promtool = "/usr/bin/promtool";
    public const string Prometheus = "/usr/bin/prometheus";

    public static string Require(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing: install Debian's package with `apt-get install -y prometheus` (scripts/test.sh does as root)");
        return path;
    }

    /// <summary>Runs <paramref name="path"/> to its end, with <paramref name="stdin"/> piped in; answers its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string path, IEnumerable<string> arguments, string? stdin = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Require(path))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{path} {string.Join(' ', arguments)} did not end within 60 s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
