using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary>SQLite is one process's store: a second `gantry serve` on the same data dir is refused, naming the first; kill -9 leaves nothing that blocks.</summary>
public sealed class DataDirLockProcessTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "gantry-lock-" + Guid.NewGuid().ToString("N")[..8]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
        return Task.CompletedTask;
    }

    private GantryProcess Serve(out string url)
    {
        url = $"http://127.0.0.1:{FreePorts.NextPair()}";
        return GantryProcess.Start("serve", "--data-dir", _dataDir, "--urls", url);
    }

    [Fact]
    public async Task A_second_serve_on_the_data_dir_exits_non_zero_naming_the_first_and_after_kill_9_of_the_first_a_new_one_starts()
    {
        await using var first = Serve(out _);
        await first.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(120));

        await using var second = Serve(out _);
        var code = await second.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.NotEqual(0, code);
        Assert.Contains($"the data dir {_dataDir} is in use by gantry serve (pid {first.Id} on host {Environment.MachineName}, started at ", second.Output);
        Assert.Contains("stop it or use --data-dir", second.Output);
        Assert.DoesNotContain("Gantry is running", second.Output);

        await first.KillAsync();
        // What the killed process wrote is still there; only the lock, gone with it, decides.
        Assert.Contains($"pid {first.Id} ", await File.ReadAllTextAsync(Path.Combine(_dataDir, "gantry.lock")));
        await using var third = Serve(out var thirdUrl);
        await third.WaitForOutputAsync("Press Ctrl-C to stop.", TimeSpan.FromSeconds(120));
        Assert.Contains($"Gantry is running at {thirdUrl}", third.Output);
        Assert.Contains($"pid {third.Id} ", await File.ReadAllTextAsync(Path.Combine(_dataDir, "gantry.lock")));
    }
}
