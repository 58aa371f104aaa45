namespace Gantry.Sandbox.Store;

/// <summary>One counter per cluster for every write, like etcd's revision behind kube-apiserver's resourceVersion.</summary>
internal sealed class ResourceVersionClock
{
    private long _current;

    public long Current => Interlocked.Read(ref _current);

    public long Next() => Interlocked.Increment(ref _current);
}
