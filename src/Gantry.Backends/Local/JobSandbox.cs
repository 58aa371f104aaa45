using System.Globalization;

namespace Gantry.Backends.Local;

/// <summary>
/// Keeps a local job away from the gateway's files and from other users' jobs, as
/// <see cref="LocalBackendOptions.Isolation"/> says: prepares the job's directory (who owns what)
/// and wraps the job's command (setpriv to the owner's uid, or a bubblewrap sandbox). The
/// launcher shell, which writes the job's pid, exit code and log, is never wrapped: it stays
/// the gateway's, so the job cannot swap those files for symlinks the gateway would then follow.
/// </summary>
internal sealed class JobSandbox(LocalBackendOptions options)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // Job uids may pass through (execute) but not list: they reach only their own job's work dir.
    private const UnixFileMode Traversable = OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public LocalIsolation Isolation => options.Isolation;

    /// <summary>
    /// Creates the jobs directory; under <see cref="LocalIsolation.Users"/> checks that job uids can
    /// reach it (a directory inside the 0700 data dir, or under /root, they cannot).
    /// </summary>
    public void PrepareRoot()
    {
        var root = Path.GetFullPath(options.JobsDirectory);
        Directory.CreateDirectory(root);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        File.SetUnixFileMode(root, options.Isolation == LocalIsolation.Users ? Traversable : OwnerOnly);
        if (options.Isolation != LocalIsolation.Users)
        {
            return;
        }
        for (var dir = Directory.GetParent(root); dir is not null; dir = dir.Parent)
        {
            if ((dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                throw new InvalidOperationException(
                    $"Gantry:Local:JobsDirectory '{root}' is inside '{dir.FullName}', which other users cannot enter (mode {Convert.ToString((int)dir.UnixFileMode, 8)}), " +
                    "so jobs running under their own uid could not reach their work dirs; choose a directory outside the data dir and /root, such as /var/lib/gantry/jobs.");
            }
        }
    }

    /// <summary>The uid (and gid) the job's command runs as; null when it runs as the gateway's own user.</summary>
    public int? UidFor(DispatchContext context)
    {
        if (options.Isolation != LocalIsolation.Users)
        {
            return null;
        }
        if (context.Owner is not { Number: > 0 } owner)
        {
            throw new DispatchException("The job's owner is not a stored user with a number, so there is no OS uid to run the job as.", retryable: false);
        }
        return checked(options.JobUidBase + (int)owner.Number);
    }

    /// <summary>
    /// Creates the job's directory for a run: under <see cref="LocalIsolation.Users"/> the directory is
    /// root's and only traversable, its work dir the job uid's own (0700); otherwise both are the gateway's, 0700.
    /// </summary>
    public static void Prepare(JobDirectory directory, int? uid)
    {
        Directory.CreateDirectory(directory.Work);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        File.SetUnixFileMode(directory.Root, uid is null ? OwnerOnly : Traversable);
        if (uid is { } id)
        {
            if (NativeMethods.Lchown(directory.Work, id, id) != 0)
            {
                throw new DispatchException($"Could not give the job's work dir to uid {id}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.", retryable: false);
            }
        }
        File.SetUnixFileMode(directory.Work, OwnerOnly);
    }

    /// <summary>The command line that runs <paramref name="command"/> isolated, started in <paramref name="workingDir"/>.</summary>
    public IReadOnlyList<string> Wrap(IReadOnlyList<string> command, int? uid, JobDirectory directory, string workingDir) => options.Isolation switch
    {
        LocalIsolation.Users when uid is { } id => [.. SetPriv(id), .. command],
        LocalIsolation.Bubblewrap => [.. Bubblewrap(directory, workingDir), .. command],
        _ => command,
    };

    /// <summary>
    /// setpriv (util-linux) drops root for the job's command only: the real, effective and saved
    /// uid and gid, no supplementary groups (root's would stay otherwise), and no_new_privs, so no
    /// setuid program (su, sudo) can take it back.
    /// </summary>
    private static IEnumerable<string> SetPriv(int uid)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return ["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--no-new-privs", "--"];
    }

    /// <summary>
    /// The machine as the job sees it in a bubblewrap sandbox: everything, except that the hidden
    /// paths (the data dir, a key file) and the jobs directory are empty, and the job's own work dir is
    /// bound back in. Its own pid namespace and /proc, so it cannot reach the gateway's files through
    /// <c>/proc/&lt;gateway pid&gt;/root</c> or signal other jobs; no capabilities even if the gateway is root.
    /// </summary>
    private IEnumerable<string> Bubblewrap(JobDirectory directory, string workingDir)
    {
        List<string> argv = [options.Bubblewrap, "--dev-bind", "/", "/", "--cap-drop", "ALL", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--proc", "/proc"];
        foreach (var path in options.HiddenPaths.Select(p => Path.GetFullPath(p)))
        {
            if (Directory.Exists(path))
            {
                argv.AddRange(["--tmpfs", path]);
            }
            else if (File.Exists(path))
            {
                argv.AddRange(["--ro-bind", "/dev/null", path]);
            }
        }
        argv.AddRange(["--tmpfs", Path.GetFullPath(options.JobsDirectory), "--bind", directory.Work, directory.Work, "--chdir", workingDir, "--"]);
        return argv;
    }

    /// <summary>
    /// The gateway's PATH without the directories another uid cannot enter (root's pyenv shims
    /// under /root, say): a job under its own uid would find its program there and fail with
    /// "Permission denied" instead of finding the system's.
    /// </summary>
    public static string ReachablePath(string path) =>
        string.Join(':', path.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(WorldReachable));

    private static bool WorldReachable(string directory)
    {
        if (OperatingSystem.IsWindows() || !Path.IsPathFullyQualified(directory))
        {
            return false;
        }
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            try
            {
                if (!dir.Exists || (File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
                {
                    return false;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The environment the gateway was started with minus its secrets: its own token, its
    /// configuration (Gantry__*, GANTRY_* such as a database password or the key ring's key).
    /// The job's own GANTRY_ variables are set after this.
    /// </summary>
    public static void Scrub(IDictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.Where(k => k.StartsWith("GANTRY", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(key);
        }
    }
}
