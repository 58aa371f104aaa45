using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class ClusterStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private IClusterStore Clusters => Store.Clusters;

    private static Cluster NewCluster(string name, bool cordoned = false) => new()
    {
        Name = name,
        Type = ClusterTypes.Kubernetes,
        Labels = new Dictionary<string, string> { ["topology.kubernetes.io/region"] = "eu-west", ["gpu"] = "a100" },
        Cordoned = cordoned,
        CreatedAt = TestClock.At(7.007),
    };

    [ContractFact]
    public async Task Ensure_then_get_returns_every_field()
    {
        var cluster = NewCluster(Unique.Name("c"), cordoned: true);

        await Clusters.EnsureAsync(cluster, Ct);

        StoreAssert.SameCluster(cluster, await Clusters.GetAsync(cluster.Name, Ct));
    }

    [ContractFact]
    public async Task Ensure_keeps_an_existing_cluster_as_it_is()
    {
        var cluster = NewCluster(Unique.Name("c"));
        await Clusters.EnsureAsync(cluster, Ct);
        await Clusters.SetCordonedAsync(cluster.Name, true, Ct);

        await Clusters.EnsureAsync(cluster with { Type = ClusterTypes.Local, Labels = new Dictionary<string, string>() }, Ct);

        StoreAssert.SameCluster(cluster with { Cordoned = true }, await Clusters.GetAsync(cluster.Name, Ct));
    }

    [ContractFact]
    public async Task Get_of_an_unknown_cluster_returns_null()
    {
        Assert.Null(await Clusters.GetAsync(Unique.Name("nope"), Ct));
    }

    [ContractFact]
    public async Task List_returns_the_clusters_by_name()
    {
        var prefix = Unique.Name("list");
        foreach (var suffix in new[] { "b", "c", "a" })
        {
            await Clusters.EnsureAsync(NewCluster($"{prefix}-{suffix}"), Ct);
        }

        var all = await Clusters.ListAsync(Ct);

        Assert.Equal(all.Select(c => c.Name).Order(StringComparer.Ordinal), all.Select(c => c.Name));
        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], all.Select(c => c.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [ContractFact]
    public async Task Cordon_and_uncordon_are_stored()
    {
        var cluster = NewCluster(Unique.Name("c"));
        await Clusters.EnsureAsync(cluster, Ct);

        await Clusters.SetCordonedAsync(cluster.Name, true, Ct);
        var cordoned = await Clusters.GetAsync(cluster.Name, Ct);
        await Clusters.SetCordonedAsync(cluster.Name, true, Ct);
        await Clusters.SetCordonedAsync(cluster.Name, false, Ct);
        var uncordoned = await Clusters.GetAsync(cluster.Name, Ct);

        Assert.True(cordoned!.Cordoned);
        StoreAssert.SameCluster(cluster, uncordoned);
    }

    [ContractFact]
    public async Task Cordoning_an_unknown_cluster_is_not_found()
    {
        var name = Unique.Name("nope");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Clusters.SetCordonedAsync(name, true, Ct));

        Assert.Equal(name, error.Id);
        Assert.Null(await Clusters.GetAsync(name, Ct));
    }
}
