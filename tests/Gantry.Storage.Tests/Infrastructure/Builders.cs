using Gantry.Core.Jobs;
using Gantry.Core.Queues;
using Gantry.Core.Resources;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>Names no other test in the same database uses.</summary>
public static class Unique
{
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}

/// <summary>Fixed instants with whole milliseconds, which is what the store keeps.</summary>
public static class TestClock
{
    public static DateTimeOffset Start { get; } = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => Start.AddMilliseconds(Math.Round(seconds * 1000));
}

/// <summary>A queued job with plausible defaults; every call to <see cref="Build"/> returns the same job.</summary>
public sealed class JobBuilder
{
    private Job _job = new()
    {
        Id = JobId.New(),
        Name = "job",
        Kind = "Command",
        Queue = Queue.DefaultName,
        Owner = "ann",
        Manifest = """{"kind":"Command","spec":{"command":["echo","hi"]}}""",
        Demand = new ResourceDemand([new PodDemand("main", 1, new Resources(500, 256L << 20, 0))]),
        CreatedAt = TestClock.Start,
        UpdatedAt = TestClock.Start,
    };

    public JobBuilder Named(string name) => With(j => j with { Name = name });

    public JobBuilder InQueue(string queue) => With(j => j with { Queue = queue });

    public JobBuilder OwnedBy(string owner) => With(j => j with { Owner = owner });

    public JobBuilder OfKind(string kind) => With(j => j with { Kind = kind });

    public JobBuilder WithPriority(int priority) => With(j => j with { Priority = priority });

    public JobBuilder WithLabels(params (string Key, string Value)[] labels) =>
        With(j => j with { Labels = labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) });

    public JobBuilder WithManifest(string json) => With(j => j with { Manifest = json });

    public JobBuilder WithDemand(params PodDemand[] pods) => With(j => j with { Demand = new ResourceDemand(pods) });

    public JobBuilder WithMessage(string message) => With(j => j with { Message = message });

    public JobBuilder WithMaxAttempts(int maxAttempts) => With(j => j with { MaxAttempts = maxAttempts });

    public JobBuilder CreatedAt(DateTimeOffset at) => With(j => j with { CreatedAt = at, UpdatedAt = at });

    public Job Build() => _job;

    public NewJob AsSubmission(string? idempotencyKey = null, string? requestHash = null) => new(_job, idempotencyKey, requestHash);

    private JobBuilder With(Func<Job, Job> change)
    {
        _job = change(_job);
        return this;
    }
}

public sealed class QueueBuilder(string name)
{
    private Queue _queue = new() { Name = name, CreatedAt = TestClock.Start, UpdatedAt = TestClock.Start };

    public QueueBuilder WithWeight(double weight) => With(q => q with { Weight = weight });

    public QueueBuilder WithPriority(int priority) => With(q => q with { Priority = priority });

    public QueueBuilder WithQuota(QueueQuota quota) => With(q => q with { Quota = quota });

    public QueueBuilder WithClusterSelector(params (string Key, string Value)[] selector) =>
        With(q => q with { ClusterSelector = selector.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) });

    public QueueBuilder WithAffinity(params (string Key, string Value)[] affinity) =>
        With(q => q with { Affinity = affinity.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) });

    public QueueBuilder AllowingUsers(params string[] users) => With(q => q with { AllowedUsers = users });

    public QueueBuilder AllowingGroups(params string[] groups) => With(q => q with { AllowedGroups = groups });

    public QueueBuilder WithPolicy(PlacementPolicy policy) => With(q => q with { Policy = policy });

    public QueueBuilder UpdatedAt(DateTimeOffset at) => With(q => q with { UpdatedAt = at });

    public Queue Build() => _queue;

    private QueueBuilder With(Func<Queue, Queue> change)
    {
        _queue = change(_queue);
        return this;
    }
}
