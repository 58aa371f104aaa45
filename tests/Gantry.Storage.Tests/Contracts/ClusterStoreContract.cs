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

    [ContractFact]
    public async Task Add_stores_the_cluster_and_its_protected_connection()
    {
        var cluster = NewCluster(Unique.Name("k"));

        await Clusters.AddAsync(cluster, "protected-blob-1", Ct);

        StoreAssert.SameCluster(cluster, await Clusters.GetAsync(cluster.Name, Ct));
        Assert.Equal("protected-blob-1", await Clusters.GetConnectionAsync(cluster.Name, Ct));
    }

    [ContractFact]
    public async Task Set_connection_replaces_only_the_connection_and_an_unknown_cluster_is_not_found()
    {
        var cluster = NewCluster(Unique.Name("k"));
        await Clusters.AddAsync(cluster, "before", Ct);
        await Clusters.SetCordonedAsync(cluster.Name, true, Ct);

        await Clusters.SetConnectionAsync(cluster.Name, "after", Ct);

        Assert.Equal("after", await Clusters.GetConnectionAsync(cluster.Name, Ct));
        StoreAssert.SameCluster(cluster with { Cordoned = true }, await Clusters.GetAsync(cluster.Name, Ct));
        var unknown = Unique.Name("nope");
        Assert.Equal(unknown, (await Assert.ThrowsAsync<NotFoundException>(() => Clusters.SetConnectionAsync(unknown, "x", Ct))).Id);
    }

    [ContractFact]
    public async Task Add_of_a_name_already_taken_is_a_conflict_and_keeps_the_first()
    {
        var cluster = NewCluster(Unique.Name("k"));
        await Clusters.AddAsync(cluster, "first", Ct);

        var error = await Assert.ThrowsAsync<ConflictException>(() => Clusters.AddAsync(cluster with { Labels = new Dictionary<string, string>() }, "second", Ct));

        Assert.Contains(cluster.Name, error.Message);
        StoreAssert.SameCluster(cluster, await Clusters.GetAsync(cluster.Name, Ct));
        Assert.Equal("first", await Clusters.GetConnectionAsync(cluster.Name, Ct));
    }

    [ContractFact]
    public async Task A_cluster_ensured_without_a_connection_has_none_and_an_unknown_one_is_not_found()
    {
        var cluster = NewCluster(Unique.Name("c"));
        await Clusters.EnsureAsync(cluster, Ct);
        var unknown = Unique.Name("nope");

        Assert.Null(await Clusters.GetConnectionAsync(cluster.Name, Ct));
        Assert.Equal(unknown, (await Assert.ThrowsAsync<NotFoundException>(() => Clusters.GetConnectionAsync(unknown, Ct))).Id);
    }

    [ContractFact]
    public async Task Set_labels_replaces_every_label()
    {
        var cluster = NewCluster(Unique.Name("k"));
        await Clusters.AddAsync(cluster, "blob", Ct);
        var labels = new Dictionary<string, string> { ["gpu"] = "h100", ["team"] = "ml" };

        await Clusters.SetLabelsAsync(cluster.Name, labels, Ct);

        StoreAssert.SameCluster(cluster with { Labels = labels }, await Clusters.GetAsync(cluster.Name, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Clusters.SetLabelsAsync(Unique.Name("nope"), labels, Ct));
    }

    [ContractFact]
    public async Task Remove_deletes_the_cluster_and_its_shares_and_the_name_can_be_used_again()
    {
        var cluster = NewCluster(Unique.Name("k"));
        await Clusters.AddAsync(cluster, "blob", Ct);
        await Store.Shares.PutAsync(new ClusterShare { Cluster = cluster.Name, User = "ann", Namespace = "team-ann", ServiceAccount = "gantry-ann", CreatedAt = TestClock.Start }, Ct);

        await Clusters.RemoveAsync(cluster.Name, Ct);

        Assert.Null(await Clusters.GetAsync(cluster.Name, Ct));
        Assert.Empty(await Store.Shares.ListAsync(cluster.Name, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Clusters.RemoveAsync(cluster.Name, Ct));
        await Clusters.AddAsync(cluster, "again", Ct);
        Assert.Equal("again", await Clusters.GetConnectionAsync(cluster.Name, Ct));
    }
}
