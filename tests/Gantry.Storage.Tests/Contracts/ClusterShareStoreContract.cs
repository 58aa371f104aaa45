using Gantry.Core.Clusters;
using Gantry.Core.Errors;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class ClusterShareStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private IClusterShareStore Shares => Store.Shares;

    private async Task<string> NewClusterAsync()
    {
        var name = Unique.Name("k");
        await Store.Clusters.AddAsync(new Cluster { Name = name, Type = ClusterTypes.Kubernetes, CreatedAt = TestClock.Start }, "blob", Ct);
        return name;
    }

    private static ClusterShare Share(string cluster, string user, string ns = "team-a") => new()
    {
        Cluster = cluster,
        User = user,
        Namespace = ns,
        ServiceAccount = "gantry-" + user,
        CreatedAt = TestClock.At(3.25),
    };

    [ContractFact]
    public async Task Put_then_get_returns_every_field()
    {
        var share = Share(await NewClusterAsync(), "ann");

        await Shares.PutAsync(share, Ct);

        Assert.Equal(share, await Shares.GetAsync(share.Cluster, "ann", Ct));
        Assert.Null(await Shares.GetAsync(share.Cluster, "bob", Ct));
    }

    [ContractFact]
    public async Task Put_again_replaces_the_namespace_but_keeps_when_it_was_first_shared()
    {
        var first = Share(await NewClusterAsync(), "ann", "team-a");
        await Shares.PutAsync(first, Ct);

        await Shares.PutAsync(first with { Namespace = "team-b", CreatedAt = TestClock.At(99) }, Ct);

        Assert.Equal(first with { Namespace = "team-b" }, await Shares.GetAsync(first.Cluster, "ann", Ct));
        Assert.Single(await Shares.ListAsync(first.Cluster, Ct));
    }

    [ContractFact]
    public async Task List_returns_a_clusters_shares_by_user_and_all_of_them_without_a_cluster()
    {
        var one = await NewClusterAsync();
        var two = await NewClusterAsync();
        await Shares.PutAsync(Share(one, "cy"), Ct);
        await Shares.PutAsync(Share(one, "ann"), Ct);
        await Shares.PutAsync(Share(two, "bob"), Ct);

        var ofOne = await Shares.ListAsync(one, Ct);
        var all = await Shares.ListAsync(null, Ct);

        Assert.Equal(["ann", "cy"], ofOne.Select(s => s.User));
        Assert.Equal(3, all.Count(s => s.Cluster == one || s.Cluster == two));
    }

    [ContractFact]
    public async Task Remove_answers_whether_there_was_a_share()
    {
        var share = Share(await NewClusterAsync(), "ann");
        await Shares.PutAsync(share, Ct);

        Assert.True(await Shares.RemoveAsync(share.Cluster, "ann", Ct));
        Assert.False(await Shares.RemoveAsync(share.Cluster, "ann", Ct));
        Assert.Null(await Shares.GetAsync(share.Cluster, "ann", Ct));
    }

    [ContractFact]
    public async Task A_share_of_an_unknown_cluster_is_not_found()
    {
        var name = Unique.Name("nope");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Shares.PutAsync(Share(name, "ann"), Ct));

        Assert.Equal(name, error.Id);
    }
}
