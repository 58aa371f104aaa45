using System.Globalization;
using System.Text;

namespace Gantry.Server.Hosting;

/// <summary>
/// Keeps a SQLite gateway the only one on its data dir: an OS lock on a byte range of
/// <c>&lt;data dir&gt;/gantry.lock</c>, taken before the migrations and held until the process ends or
/// this is disposed. The OS drops the lock when its process dies, so a file left by kill -9 never
/// blocks: only the lock decides, and the file's text (pid, host, start time) only names the holder
/// in the refusal.
/// </summary>
/// <remarks>
/// A range lock (fcntl on Unix, LockFileEx on Windows) rather than FileShare.None: .NET implements
/// FileShare with flock, which would also keep the refused process from reading who holds the
/// lock. A range lock belongs to the process, though, so two gateways in one process (tests) are
/// kept apart by <see cref="HeldHere"/>; and the holder must never open and close the file again,
/// which on Unix would drop its lock.
/// </remarks>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "gantry.lock";

    // Past any text written at the start, so that on Windows, where range locks are mandatory,
    // the refused process can still read the holder's description.
    private const long LockedOffset = int.MaxValue;

    private static readonly HashSet<string> HeldHere = new(StringComparer.Ordinal);

    private readonly FileStream _file;
    private readonly string _path;
    private int _disposed;

    private DataDirectoryLock(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <summary>Takes the lock, or throws <see cref="DataDirectoryInUseException"/> naming the process that holds it.</summary>
    public static DataDirectoryLock Acquire(string dataDir, TimeProvider time)
    {
        var path = Path.GetFullPath(Path.Combine(dataDir, FileName));
        lock (HeldHere)
        {
            if (!HeldHere.Add(path))
            {
                throw new DataDirectoryInUseException(dataDir, $"this process, pid {Environment.ProcessId}");
            }
        }
        try
        {
            return Lock(dataDir, path, time);
        }
        catch
        {
            lock (HeldHere)
            {
                HeldHere.Remove(path);
            }
            throw;
        }
    }

    private static DataDirectoryLock Lock(string dataDir, string path, TimeProvider time)
    {
        var options = new FileStreamOptions
        {
            // Never Create or Truncate: a refused open must not wipe the holder's description.
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            // macOS has no range locks in .NET: there flock (FileShare.None) decides, unable to name the holder.
            Share = OperatingSystem.IsMacOS() ? FileShare.None : FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        FileStream file;
        try
        {
            file = new FileStream(path, options);
        }
        catch (IOException) when (OperatingSystem.IsMacOS())
        {
            throw new DataDirectoryInUseException(dataDir, "another process");
        }
        try
        {
            try
            {
                if (!OperatingSystem.IsMacOS())
                {
                    file.Lock(LockedOffset, 1);
                }
            }
            catch (IOException)
            {
                throw new DataDirectoryInUseException(dataDir, Holder(file));
            }
            var started = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var text = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on host {Environment.MachineName}, started at {started}\n");
            file.SetLength(0);
            file.Write(Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
            return new DataDirectoryLock(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>What the holder wrote about itself; a generic phrase while it has not yet written it.</summary>
    private static string Holder(FileStream file)
    {
        file.Position = 0;
        var buffer = new byte[512];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var text = Encoding.UTF8.GetString(buffer, 0, read).Trim();
        return text.Length > 0 ? text : "a process that has not yet written its pid";
    }

    /// <summary>Releases the lock; the file stays, and the next holder overwrites its text.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _file.Dispose();
        lock (HeldHere)
        {
            HeldHere.Remove(_path);
        }
    }
}
