using System.Text;

namespace Gantry.Testing;

/// <summary>Looks at every byte the SQLite store wrote (database, WAL, shared memory), as an attacker with the disk would.</summary>
public static class StoreFiles
{
    public static async Task<bool> ContainAsync(string dataDir, string secret)
    {
        var files = Directory.GetFiles(dataDir, "gantry.db*");
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No store files under {dataDir}: nothing to look at.");
        }
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            if ((await reader.ReadToEndAsync()).Contains(secret, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
