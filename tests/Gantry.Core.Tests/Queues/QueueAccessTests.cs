using Gantry.Core.Queues;

namespace Gantry.Core.Tests.Queues;

/// <summary>Who a queue admits: everyone without lists; else its users and the members of its groups.</summary>
public sealed class QueueAccessTests
{
    private static readonly Queue Open = new() { Name = "open" };
    private static readonly Queue Restricted = new() { Name = "gpu", AllowedUsers = ["ann"], AllowedGroups = ["ml-team"] };

    [Theory]
    [InlineData("open", "bob", "", true)]
    [InlineData("gpu", "ann", "", true)]
    [InlineData("gpu", "bob", "ml-team", true)]
    [InlineData("gpu", "bob", "readers,system:authenticated", false)]
    [InlineData("gpu", "Ann", "", false)]
    [InlineData("gpu", "bob", "ML-team", false)]
    public void A_queue_admits_its_users_and_its_groups_members_exactly(string queue, string user, string groups, bool admitted)
    {
        var q = queue == "open" ? Open : Restricted;

        Assert.Equal(admitted, q.Admits(user, groups.Split(',', StringSplitOptions.RemoveEmptyEntries)));
    }
}
