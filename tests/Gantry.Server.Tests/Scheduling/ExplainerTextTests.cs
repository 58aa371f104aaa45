using Gantry.Server.Scheduling;

namespace Gantry.Server.Tests.Scheduling;

public sealed class ExplainerTextTests
{
    [Fact]
    public void What_the_cluster_says_ends_in_one_full_stop_whatever_its_reasons_end_in()
    {
        var text = Explainer.ClusterSays(["0/3 nodes are available: 3 Insufficient cpu.", "back-off pulling image  "]);

        Assert.Equal("The cluster says: 0/3 nodes are available: 3 Insufficient cpu; back-off pulling image.", text);
        Assert.DoesNotContain("..", text, StringComparison.Ordinal);
    }
}
