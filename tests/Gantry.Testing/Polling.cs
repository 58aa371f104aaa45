namespace Gantry.Testing;

/// <summary>
/// Waits for a condition instead of sleeping a guessed time: on a busy machine it only takes longer,
/// it never fails sooner. The deadline is generous on purpose; a passing test never waits for it.
/// </summary>
public static class Polling
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout ?? Patience} for {what}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Whether a process is gone (or only a zombie its parent has not reaped yet).</summary>
    public static bool ProcessIsGone(int pid) =>
        !File.Exists($"/proc/{pid}/stat") || ReadStat(pid).Contains(") Z", StringComparison.Ordinal);

    private static string ReadStat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return ") Z";
        }
    }
}
