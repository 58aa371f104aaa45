using Gantry.Core.Queues;
using Gantry.Core.Validation;

namespace Gantry.Core.Tests.Queues;

public sealed class QueueRulesTests
{
    [Fact]
    public void Every_problem_of_a_queue_is_reported_at_once_by_field()
    {
        var queue = new Queue
        {
            Name = "Not_OK",
            Weight = 0,
            Quota = new QueueQuota(CpuMillis: -1, Gpu: -1, RunningJobs: -1),
            ClusterSelector = new Dictionary<string, string> { ["region"] = "east west" },
        };
        var errors = new ValidationErrors();

        QueueRules.Validate(queue, errors);

        Assert.Equal(["clusterSelector.region", "name", "quota.cpu", "quota.gpu", "quota.runningJobs", "weight"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void A_plain_queue_is_valid()
    {
        var errors = new ValidationErrors();

        QueueRules.Validate(new Queue { Name = "ml-gpu", Weight = 2, ClusterSelector = new Dictionary<string, string> { ["gpu-type"] = "a100" } }, errors);

        Assert.True(errors.IsEmpty);
    }
}
