using Gantry.Server.Hosting;
using Gantry.Testing;

namespace Gantry.Server.Tests.Hosting;

/// <summary>The SQLite data dir's lock within one process (across processes: Gantry.Cli.Tests' DataDirLockProcessTests).</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gantry-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_second_lock_in_the_same_process_is_refused_until_the_first_is_released()
    {
        using (var first = DataDirectoryLock.Acquire(_dir, TimeProvider.System))
        {
            var refused = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(_dir, TimeProvider.System));
            Assert.Equal($"the data dir {_dir} is in use by gantry serve (this process, pid {Environment.ProcessId}); stop it or use --data-dir. SQLite is for a single process: replicas need --store postgres.", refused.Message);
        }

        using var again = DataDirectoryLock.Acquire(_dir, TimeProvider.System);
    }

    [Fact]
    public void A_file_left_by_a_process_that_died_does_not_block_and_is_overwritten()
    {
        var file = Path.Combine(_dir, DataDirectoryLock.FileName);
        File.WriteAllText(file, "pid 999999 on host gone, started at 2020-01-01T00:00:00Z, and a long tail the new holder must not leave behind\n");

        using var taken = DataDirectoryLock.Acquire(_dir, TimeProvider.System);

        var text = File.ReadAllText(file);
        Assert.StartsWith($"pid {Environment.ProcessId} on host {Environment.MachineName}, started at ", text);
        Assert.DoesNotContain("999999", text);
    }

    [Fact]
    public async Task A_second_gateway_on_a_running_gateways_sqlite_data_dir_fails_to_start_and_one_after_it_stopped_starts()
    {
        await using var first = await TestGateway.StartAsync();

        var refused = await Assert.ThrowsAsync<DataDirectoryInUseException>(() => TestGateway.StartAsync(dataDir: first.DataDir));
        Assert.Equal(first.DataDir, refused.DataDir);

        await first.StopAsync();
        await using var second = await TestGateway.StartAsync(dataDir: first.DataDir);
        using var client = second.Client();
        (await client.GetAsync("api/v1/jobs")).EnsureSuccessStatusCode();
    }
}
