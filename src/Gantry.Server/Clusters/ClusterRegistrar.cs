using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Server.Jobs;
using Gantry.Storage;

namespace Gantry.Server.Clusters;

/// <summary>Registers and removes Kubernetes clusters; a connection reaches the store only encrypted.</summary>
public sealed class ClusterRegistrar(IGantryStore store, ClusterConnectionProtector protector, JobChangeNotifier notifier, TimeProvider time)
{
    /// <summary>Registers the cluster; a <see cref="ConflictException"/> when the name is taken.</summary>
    public async Task<Cluster> AddAsync(string name, IReadOnlyDictionary<string, string> labels, ClusterConnection connection, CancellationToken cancellationToken)
    {
        var cluster = new Cluster { Name = name, Type = ClusterTypes.Kubernetes, Labels = labels, CreatedAt = time.GetUtcNow() };
        await store.Clusters.AddAsync(cluster, protector.Protect(connection), cancellationToken);
        // Queued jobs may fit the new cluster.
        notifier.Wake();
        return cluster;
    }

    /// <summary>
    /// Registers the cluster anew, replacing any cluster of that name with everything it had
    /// (labels, cordon, shares). For clusters that are themselves made anew, such as the
    /// sandbox's at each start: jobs left on the old one are ended by its backend's resync,
    /// which finds their custom resources gone.
    /// </summary>
    public async Task<Cluster> ReplaceAsync(string name, IReadOnlyDictionary<string, string> labels, ClusterConnection connection, CancellationToken cancellationToken)
    {
        if (await store.Clusters.GetAsync(name, cancellationToken) is { Type: ClusterTypes.Kubernetes })
        {
            await store.Clusters.RemoveAsync(name, cancellationToken);
        }
        return await AddAsync(name, labels, connection, cancellationToken);
    }

    /// <summary>Removes the cluster and its shares, unless jobs still run there: those must end first.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var cluster = await store.Clusters.GetAsync(name, cancellationToken) ?? throw new NotFoundException("Cluster", name);
        if (cluster.Type == ClusterTypes.Local)
        {
            throw new ConflictException("The local cluster cannot be removed; cordon it instead.");
        }
        var active = (await store.Jobs.ActiveAsync(cancellationToken)).Count(j => j.Cluster == name);
        if (active > 0)
        {
            throw new ConflictException($"Cluster '{name}' has {active} active job(s); cordon it instead, and remove it once they have ended.");
        }
        await store.Clusters.RemoveAsync(name, cancellationToken);
        notifier.Wake();
    }
}
