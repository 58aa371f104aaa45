using Gantry.Core.Audit;
using Gantry.Storage.Tests.Infrastructure;

namespace Gantry.Storage.Tests.Contracts;

public abstract class AuditStoreContract(StoreFixture fixture) : StoreContract(fixture)
{
    private IAuditStore Audit => Store.Audit;

    private async Task<List<AuditEntry>> AppendAsync(string actor, params (string Action, string Target, double At)[] entries)
    {
        var appended = new List<AuditEntry>();
        foreach (var (action, target, at) in entries)
        {
            var entry = AuditEntry.New(TestClock.At(at), actor, action, target, $"{action} of {target}");
            await Audit.AppendAsync(entry, Ct);
            appended.Add(entry);
        }
        return appended;
    }

    private static IEnumerable<object> WithoutSeq(IEnumerable<AuditEntry> entries) =>
        entries.Select(e => (object)(e.At, e.Actor, e.Action, e.Target, e.Detail));

    [ContractFact]
    public async Task Entries_of_an_actor_come_back_newest_first_with_everything_stored()
    {
        var actor = Unique.Name("admin");
        var appended = await AppendAsync(actor, ("queue.create", "q1", 1), ("cluster.cordon", "gpu-east", 2), ("token.revoke", "tok_1", 3));

        var page = await Audit.ListAsync(new AuditQuery { Actor = actor }, Ct);

        Assert.Equal(WithoutSeq(Enumerable.Reverse(appended)), WithoutSeq(page.Items));
        Assert.True(page.Items[0].Seq > page.Items[1].Seq && page.Items[1].Seq > page.Items[2].Seq);
        Assert.Null(page.NextBeforeSeq);
    }

    [ContractFact]
    public async Task An_action_filter_matches_exactly_and_a_resource_filter_matches_its_every_action()
    {
        var actor = Unique.Name("admin");
        await AppendAsync(actor, ("cluster.cordon", "a", 1), ("cluster.uncordon", "a", 2), ("clusters.odd", "x", 3), ("queue.create", "q", 4));

        var cordons = await Audit.ListAsync(new AuditQuery { Actor = actor, Action = "cluster.cordon" }, Ct);
        var clusters = await Audit.ListAsync(new AuditQuery { Actor = actor, Action = "cluster" }, Ct);
        var none = await Audit.ListAsync(new AuditQuery { Actor = actor, Action = "clu%" }, Ct);

        Assert.Equal(["cluster.cordon"], cordons.Items.Select(e => e.Action));
        Assert.Equal(["cluster.uncordon", "cluster.cordon"], clusters.Items.Select(e => e.Action));
        Assert.Empty(none.Items);
    }

    [ContractFact]
    public async Task Since_keeps_entries_at_or_after_the_time()
    {
        var actor = Unique.Name("admin");
        await AppendAsync(actor, ("queue.create", "old", 10), ("queue.create", "edge", 20), ("queue.create", "new", 30));

        var page = await Audit.ListAsync(new AuditQuery { Actor = actor, Since = TestClock.At(20) }, Ct);

        Assert.Equal(["new", "edge"], page.Items.Select(e => e.Target));
    }

    [ContractFact]
    public async Task Pages_follow_one_another_without_gaps_or_repeats()
    {
        var actor = Unique.Name("admin");
        await AppendAsync(actor, Enumerable.Range(0, 7).Select(i => ("queue.update", $"q{i}", (double)i)).ToArray());

        var targets = new List<string>();
        long? before = null;
        var pages = 0;
        do
        {
            var page = await Audit.ListAsync(new AuditQuery { Actor = actor, Limit = 3, BeforeSeq = before }, Ct);
            targets.AddRange(page.Items.Select(e => e.Target));
            before = page.NextBeforeSeq;
            pages++;
        }
        while (before is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"q{i}"), targets);
    }

    [ContractFact]
    public async Task A_long_detail_is_cut_to_the_maximum()
    {
        var actor = Unique.Name("admin");
        await Audit.AppendAsync(AuditEntry.New(TestClock.Start, actor, "queue.create", "q", new string('x', 5000)), Ct);

        var entry = Assert.Single((await Audit.ListAsync(new AuditQuery { Actor = actor }, Ct)).Items);

        Assert.Equal(AuditEntry.MaxDetailLength, entry.Detail.Length);
    }
}
