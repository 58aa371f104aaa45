using Gantry.Core.Jobs;

namespace Gantry.Storage.Tests.Infrastructure;

/// <summary>Base of the contract suites: the fixture's store, a time limit, and job helpers.</summary>
public abstract class StoreContract(StoreFixture fixture) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    protected StoreFixture Fixture { get; } = fixture;

    protected IGantryStore Store => Fixture.Store;

    protected IJobStore Jobs => Store.Jobs;

    /// <summary>Cancelled when a test runs far longer than it should, so a hang fails instead of stalling the run.</summary>
    protected CancellationToken Ct => _timeout.Token;

    protected async Task<Job> InsertAsync(JobBuilder builder)
    {
        var outcome = await Jobs.InsertAsync(builder.AsSubmission(), Ct);
        Assert.True(outcome.Created);
        return outcome.Job;
    }

    /// <summary>Walks <paramref name="job"/> through <paramref name="path"/>, storing each transition.</summary>
    protected async Task<Job> MoveAsync(Job job, params JobState[] path)
    {
        foreach (var state in path)
        {
            var (next, transition) = job.TransitionTo(state, $"to {state}", job.UpdatedAt.AddSeconds(1));
            job = await Jobs.UpdateAsync(next, transition, Ct);
        }
        return job;
    }

    /// <summary>The transitions from Queued that end in <paramref name="state"/>.</summary>
    protected static JobState[] PathTo(JobState state) => state switch
    {
        JobState.Queued => [],
        JobState.Dispatching => [JobState.Dispatching],
        JobState.Submitted => [JobState.Dispatching, JobState.Submitted],
        JobState.Running => [JobState.Dispatching, JobState.Running],
        JobState.Cancelling => [JobState.Dispatching, JobState.Running, JobState.Cancelling],
        JobState.Succeeded => [JobState.Dispatching, JobState.Running, JobState.Succeeded],
        JobState.Failed => [JobState.Failed],
        JobState.Cancelled => [JobState.Cancelled],
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    protected async Task<Job> InsertInStateAsync(JobBuilder builder, JobState state) =>
        await MoveAsync(await InsertAsync(builder), PathTo(state));

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }
}
