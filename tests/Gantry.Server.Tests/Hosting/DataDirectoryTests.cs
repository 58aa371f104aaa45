using Gantry.Server.Hosting;
using Gantry.Testing;

namespace Gantry.Server.Tests.Hosting;

/// <summary>The data dir is the owner's alone: created 0700 with 0600 files, and tightened at start when an older version left it looser.</summary>
public sealed class DataDirectoryTests
{
    private const UnixFileMode OwnerDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_new_data_dir_is_0700_and_every_file_in_it_0600()
    {
        await using var gateway = await TestGateway.StartAsync();

        Assert.Equal(OwnerDir, File.GetUnixFileMode(gateway.DataDir));
        var files = Directory.GetFiles(gateway.DataDir);
        Assert.Contains(files, f => f.EndsWith("gantry.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("admin.token", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("keyring.pfx", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal((f, OwnerFile), (f, File.GetUnixFileMode(f))));
    }

    [Fact]
    public async Task A_looser_data_dir_is_tightened_at_start()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        await using (var first = await TestGateway.StartAsync(dataDir: dataDir))
        {
            await first.StopAsync();
            File.SetUnixFileMode(dataDir, OwnerDir | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (var file in Directory.GetFiles(dataDir))
            {
                File.SetUnixFileMode(file, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            var prepared = DataDirectory.Prepare(dataDir);

            Assert.Contains(prepared.Tightened, t => t.StartsWith(Path.Combine(dataDir, "gantry.db") + " (was 644)", StringComparison.Ordinal));
            Assert.Contains(prepared.Tightened, t => t.StartsWith(dataDir + " (was 755)", StringComparison.Ordinal));
            Assert.Equal(OwnerDir, File.GetUnixFileMode(dataDir));
            Assert.All(Directory.GetFiles(dataDir), f => Assert.Equal(OwnerFile, File.GetUnixFileMode(f)));
        }
    }
}
