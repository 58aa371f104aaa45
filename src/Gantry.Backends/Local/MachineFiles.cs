using Gantry.Core.LocalRuns;

namespace Gantry.Backends.Local;

/// <summary>This machine's file system, probed for <see cref="LocalRunCheck"/>.</summary>
public sealed class MachineFiles : IMachineFiles
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static MachineFiles Instance { get; } = new();

    public FileKind Probe(string absolutePath)
    {
        try
        {
            if (Directory.Exists(absolutePath))
            {
                return FileKind.Directory;
            }
            if (!File.Exists(absolutePath))
            {
                return FileKind.Missing;
            }
            return OperatingSystem.IsWindows() || (File.GetUnixFileMode(absolutePath) & AnyExecute) != 0 ? FileKind.Executable : FileKind.File;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return FileKind.Missing;
        }
    }
}
