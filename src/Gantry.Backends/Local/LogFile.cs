namespace Gantry.Backends.Local;

/// <summary>Reads a log file that may still be growing: all of it or its last lines, once or following.</summary>
internal static class LogFile
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static async Task CopyAsync(string path, LogRequest request, Func<bool> stillWriting, Stream output, CancellationToken cancellationToken)
    {
        while (!File.Exists(path))
        {
            if (!request.Follow || !stillWriting())
            {
                return;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        if (File.ResolveLinkTarget(path, returnFinalTarget: false) is not null)
        {
            // The gateway never makes the log a link, so a job did: following it would serve the
            // job's owner whatever file the link names, with the gateway's rights.
            return;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (request.Tail is { } lines)
        {
            file.Position = StartOfLastLines(file, lines);
        }
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await file.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                continue;
            }
            if (!request.Follow)
            {
                return;
            }
            await output.FlushAsync(cancellationToken);
            if (!stillWriting())
            {
                // The writer is gone: whatever it wrote last is already in the file.
                await file.CopyToAsync(output, cancellationToken);
                return;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>The offset where the last <paramref name="lines"/> lines begin (a final newline does not start a line).</summary>
    internal static long StartOfLastLines(FileStream file, int lines)
    {
        if (lines <= 0)
        {
            return file.Length;
        }
        var buffer = new byte[8192];
        var position = file.Length;
        var newlines = 0;
        var skipFinal = true;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            file.Position = position;
            file.ReadExactly(buffer, 0, size);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != '\n')
                {
                    skipFinal = false;
                    continue;
                }
                if (skipFinal)
                {
                    skipFinal = false;
                    continue;
                }
                if (++newlines == lines)
                {
                    return position + i + 1;
                }
            }
        }
        return 0;
    }
}
