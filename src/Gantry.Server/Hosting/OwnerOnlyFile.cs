namespace Gantry.Server.Hosting;

/// <summary>Files that hold a credential (a token, a kubeconfig): readable and writable by their owner only.</summary>
public static class OwnerOnlyFile
{
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        // Created with the mode, so the file is never readable by others, not even for an instant.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
        }
        if (!OperatingSystem.IsWindows())
        {
            // A file left from an earlier run keeps its old mode on overwrite.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
