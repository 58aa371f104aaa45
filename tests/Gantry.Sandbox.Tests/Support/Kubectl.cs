using System.Diagnostics;

namespace Gantry.Sandbox.Tests.Support;

/// <summary>Runs Debian's kubectl against a kubeconfig file, as a user would.</summary>
internal sealed class Kubectl(string kubeconfigPath)
{
    public const string Path = "/usr/bin/kubectl";

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfigPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // kubectl keeps a discovery cache in $HOME; a private one keeps runs independent.
        start.Environment["KUBECACHEDIR"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gantry-kubectl-cache-" + Guid.NewGuid().ToString("N"));
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
