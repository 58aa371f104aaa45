using Gantry.Core.Clusters;
using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Core.Resources;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>
/// Field-by-field equality for the domain records whose dictionaries and lists compare by
/// reference: the collections are compared by content, then everything else by record equality
/// (which also names the differing record in the failure message).
/// </summary>
public static class StoreAssert
{
    private static readonly Dictionary<string, string> NoLabels = [];

    public static void SameJob(Job expected, Job? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Sorted(expected.Labels), Sorted(actual.Labels));
        Assert.Equal(expected.Demand.Pods, actual.Demand.Pods);
        Assert.Equal(
            expected with { Labels = NoLabels, Demand = ResourceDemand.None },
            actual with { Labels = NoLabels, Demand = ResourceDemand.None });
    }

    public static void SameQueue(Queue expected, Queue? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Sorted(expected.ClusterSelector), Sorted(actual.ClusterSelector));
        Assert.Equal(Sorted(expected.Affinity), Sorted(actual.Affinity));
        Assert.Equal(expected.AllowedUsers.Order(StringComparer.Ordinal), actual.AllowedUsers);
        Assert.Equal(expected.AllowedGroups.Order(StringComparer.Ordinal), actual.AllowedGroups);
        Assert.Equal(
            expected with { ClusterSelector = NoLabels, Affinity = NoLabels, AllowedUsers = [], AllowedGroups = [] },
            actual with { ClusterSelector = NoLabels, Affinity = NoLabels, AllowedUsers = [], AllowedGroups = [] });
    }

    public static void SameCluster(Cluster expected, Cluster? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Sorted(expected.Labels), Sorted(actual.Labels));
        Assert.Equal(expected with { Labels = NoLabels }, actual with { Labels = NoLabels });
    }

    private static List<KeyValuePair<string, string>> Sorted(IReadOnlyDictionary<string, string> labels) =>
        labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
}
