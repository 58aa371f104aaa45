namespace Gantry.Server.Hosting;

/// <summary>Set once start-up (migrations, bootstrap, reconciliation) is done; /readyz and the scheduler wait for it.</summary>
public sealed class Readiness
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsStarted => _started.Task.IsCompleted;

    public void MarkStarted() => _started.TrySetResult();

    public Task StartedAsync(CancellationToken cancellationToken) => _started.Task.WaitAsync(cancellationToken);
}
