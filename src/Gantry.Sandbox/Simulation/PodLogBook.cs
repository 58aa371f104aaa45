using System.Collections.Concurrent;

namespace Gantry.Sandbox.Simulation;

/// <summary>The logs of every simulated pod, by namespace and name; a deleted pod's log goes with it.</summary>
internal sealed class PodLogBook
{
    private readonly ConcurrentDictionary<(string Ns, string Name), PodLog> _logs = new();

    public PodLog Open(string ns, string name) => _logs.GetOrAdd((ns, name), _ => new PodLog());

    public PodLog? Find(string ns, string name) => _logs.TryGetValue((ns, name), out var log) ? log : null;

    public void Remove(string ns, string name)
    {
        if (_logs.TryRemove((ns, name), out var log))
        {
            log.Close();
        }
    }
}
