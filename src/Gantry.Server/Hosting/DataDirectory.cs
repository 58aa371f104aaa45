namespace Gantry.Server.Hosting;

/// <summary>
/// The data dir: 0700, and every file in it 0600 (the SQLite database and its -wal and -shm,
/// admin.token, keyring.pfx, sandbox.kubeconfig). A data dir left looser by an older version is
/// tightened at start; what was changed is kept in <see cref="Tightened"/> for the start-up log.
/// </summary>
public sealed class DataDirectory
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private DataDirectory(string path, IReadOnlyList<string> tightened)
    {
        Path = path;
        Tightened = tightened;
    }

    public string Path { get; }

    /// <summary>Paths whose mode was looser than owner-only, with the mode they had.</summary>
    public IReadOnlyList<string> Tightened { get; }

    public static DataDirectory Prepare(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var tightened = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return new DataDirectory(path, tightened);
        }
        Directory.CreateDirectory(path, DirectoryMode);
        Tighten(path, DirectoryMode, tightened);
        foreach (var file in Directory.EnumerateFiles(path))
        {
            // Not through a symlink: its target is not ours to change.
            if (File.ResolveLinkTarget(file, returnFinalTarget: false) is null)
            {
                Tighten(file, FileMode, tightened);
            }
        }
        return new DataDirectory(path, tightened);
    }

    /// <summary>
    /// Creates <paramref name="file"/> empty and owner-only if it does not exist, so whatever opens it
    /// next (SQLite, which gives its -wal and -shm files the database's mode) finds it private.
    /// </summary>
    public static void CreateOwnerOnly(string file)
    {
        if (OperatingSystem.IsWindows() || File.Exists(file))
        {
            return;
        }
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode };
        try
        {
            using var created = new FileStream(file, options);
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another replica created it meanwhile.
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path, UnixFileMode wanted, List<string> tightened)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~wanted) != 0)
        {
            File.SetUnixFileMode(path, mode & wanted);
            tightened.Add($"{path} (was {Convert.ToString((int)mode, 8)})");
        }
    }
}
