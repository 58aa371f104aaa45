namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Told when the cluster answers again after being unhealthy, so informers waiting out a long
/// back-off reconnect at once instead of leaving the gateway's view stale for up to the maximum
/// back-off.
/// </summary>
internal sealed class RecoverySignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next recovery.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Recovered() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits <paramref name="delay"/>, or less if the cluster recovers meanwhile.</summary>
    public async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken) =>
        await Task.WhenAny(Task.Delay(delay, time, cancellationToken), Next.WaitAsync(cancellationToken));
}
