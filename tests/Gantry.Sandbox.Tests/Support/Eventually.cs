namespace Gantry.Sandbox.Tests.Support;

/// <summary>Polls until a condition holds, with short intervals, failing with the last value seen.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        T value;
        while (true)
        {
            value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {value}");
            }
            await Task.Delay(50);
        }
    }
}
