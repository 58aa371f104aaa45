using System.Net.Http.Headers;
using k8s.Authentication;

namespace Gantry.Backends.Kubernetes;

/// <summary>
/// A bearer token kept in a file that someone else rotates: the kubelet's projected service-account
/// token (about hourly, by swapping a <c>..data</c> symlink so the new file appears at once). Each
/// request looks at the file's real path, time and size (a few stats), and reads it again when any
/// changed, so the request after a rotation already carries the new token; it is read again after
/// <see cref="MaxAge"/> anyway, in case a rotation kept both (the library's own TokenFileAuth only
/// re-reads every minute, so it would send the old token for up to that long).
/// </summary>
public sealed class TokenFileProvider(string path, TimeProvider? time = null) : ITokenProvider
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile Snapshot? _current;

    public string Path => path;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var stamp = Stamp();
        var current = _current;
        if (current is null || current.Stamp != stamp || _time.GetUtcNow() - current.ReadAt > MaxAge)
        {
            // Unlocked: requests racing here each read the same small file, and the last one stays.
            var token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
            if (token.Length == 0)
            {
                throw new InvalidOperationException($"The token file {path} is empty.");
            }
            // Stamped as seen before the read: a change during the read is seen next time.
            current = new Snapshot(token, stamp, _time.GetUtcNow());
            _current = current;
        }
        return new AuthenticationHeaderValue("Bearer", current.Token);
    }

    /// <summary>
    /// The file's real path, modification time and size. The real path changes at every kubelet
    /// rotation (a new timestamped directory behind <c>..data</c>), which time and size alone may
    /// miss: two tokens of one length written within the file system's timestamp granularity.
    /// </summary>
    private (string RealPath, DateTime Modified, long Length) Stamp()
    {
        var real = RealPath(path);
        var file = new FileInfo(real);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The token file {path} does not exist.", path);
        }
        return (real, file.LastWriteTimeUtc, file.Length);
    }

    /// <summary>The path with every symlink along it resolved (the kubelet's <c>token -&gt; ..data/token</c>, <c>..data -&gt; ..2026_...</c>).</summary>
    private static string RealPath(string path, int depth = 0)
    {
        var current = "/";
        foreach (var part in System.IO.Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = System.IO.Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                // The target may itself pass through links (token -> ..data/token): resolve it whole.
                // Bounded like the kernel's own limit on links followed, in case of a loop.
                next = depth < 40
                    ? RealPath(System.IO.Path.GetFullPath(target, current), depth + 1)
                    : throw new IOException($"Too many levels of symbolic links in {path}.");
            }
            current = next;
        }
        return current;
    }

    private sealed record Snapshot(string Token, (string RealPath, DateTime Modified, long Length) Stamp, DateTimeOffset ReadAt);
}
