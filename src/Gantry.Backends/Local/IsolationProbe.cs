using System.ComponentModel;
using System.Diagnostics;

namespace Gantry.Backends.Local;

/// <summary>Works out, at start-up, which <see cref="LocalIsolation"/> this machine allows (Gantry:Local:Isolation).</summary>
public static class IsolationProbe
{
    public static readonly IReadOnlyList<string> Modes = ["auto", "users", "bubblewrap", "admins-only", "none"];

    /// <summary>Whether the gateway runs as root, which <see cref="LocalIsolation.Users"/> needs to switch uids.</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && NativeMethods.Geteuid() == 0;

    /// <summary>
    /// <c>auto</c>: users as root, else bubblewrap if it can create its namespaces here (it cannot in
    /// many containers), else admins-only. Null for a mode that is not one of <see cref="Modes"/>.
    /// </summary>
    public static LocalIsolation? Resolve(string configured, bool isRoot, Func<bool> bubblewrapWorks) => configured.Trim().ToLowerInvariant() switch
    {
        "" or "auto" => isRoot ? LocalIsolation.Users : bubblewrapWorks() ? LocalIsolation.Bubblewrap : LocalIsolation.AdminsOnly,
        "users" => LocalIsolation.Users,
        "bubblewrap" => LocalIsolation.Bubblewrap,
        "admins-only" => LocalIsolation.AdminsOnly,
        "none" => LocalIsolation.None,
        _ => null,
    };

    /// <summary>Runs <c>true</c> in a sandbox shaped like a job's: a found bwrap may still lack the user namespaces it needs.</summary>
    public static bool BubblewrapWorks(string bwrap)
    {
        try
        {
            var start = new ProcessStartInfo(bwrap)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--dev-bind", "/", "/", "--cap-drop", "ALL", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--proc", "/proc", "--tmpfs", "/tmp", "true" })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false; // not installed
        }
    }
}
