using System.Collections.Concurrent;
using Gantry.Backends;
using Gantry.Core.Jobs;

namespace Gantry.Kubernetes.Tests.Support;

/// <summary>
/// Stands where the gateway's job life cycle stands: applies each report the way JobLifecycle
/// does (only transitions the state machine allows; a terminal job stays terminal) and keeps
/// every accepted transition, so tests can ask what a job went through.
/// </summary>
internal sealed class RecordingSink : IJobUpdateSink
{
    private readonly ConcurrentDictionary<string, List<JobUpdate>> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JobState> _states = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private readonly ConcurrentQueue<string> _recreated = new();

    /// <summary>What the gateway would do when asked to create a job again (dispatch it on the same backend); nothing if unset.</summary>
    public Func<string, Task>? OnRecreate { get; set; }

    /// <summary>The jobs a backend asked to be created again, in order.</summary>
    public IReadOnlyList<string> Recreated => [.. _recreated];

    public async Task RecreateAsync(string jobId, CancellationToken cancellationToken)
    {
        _recreated.Enqueue(jobId);
        if (OnRecreate is { } recreate)
        {
            await recreate(jobId);
        }
    }

    public Task ReportAsync(JobUpdate update, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _states.GetValueOrDefault(update.JobId, JobState.Dispatching);
            var list = _accepted.GetOrAdd(update.JobId, _ => []);
            if (current != update.State && JobStateMachine.CanTransition(current, update.State))
            {
                _states[update.JobId] = update.State;
                list.Add(update);
            }
            else if (current == update.State && list.Count > 0 && (update.SparkUiUrl is not null || update.BackendState is not null))
            {
                list[^1] = list[^1] with
                {
                    SparkUiUrl = update.SparkUiUrl ?? list[^1].SparkUiUrl,
                    BackendState = update.BackendState ?? list[^1].BackendState,
                };
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Starts <paramref name="jobId"/> in <paramref name="state"/>, as a store would hold it after a restart.</summary>
    public void Seed(string jobId, JobState state) => _states[jobId] = state;

    public JobState StateOf(string jobId) => _states.GetValueOrDefault(jobId, JobState.Dispatching);

    public IReadOnlyList<JobUpdate> Transitions(string jobId)
    {
        lock (_gate)
        {
            return _accepted.TryGetValue(jobId, out var list) ? [.. list] : [];
        }
    }

    public IReadOnlyList<JobState> States(string jobId) => Transitions(jobId).Select(u => u.State).ToList();

    /// <summary>Waits until the job reaches <paramref name="state"/>; fails with what it went through if it does not in time.</summary>
    public async Task<JobUpdate> WaitForAsync(string jobId, JobState state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (Transitions(jobId).LastOrDefault(u => u.State == state) is { } reached)
            {
                return reached;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Job {jobId} did not reach {state}; it went through: " +
            string.Join(" -> ", Transitions(jobId).Select(u => $"{u.State} ({u.Reason})")));
    }
}
