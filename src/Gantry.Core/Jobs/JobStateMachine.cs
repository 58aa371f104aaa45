using System.Collections.Frozen;

namespace Gantry.Core.Jobs;

/// <summary>
/// The one place that says which state may follow which. Everything that moves a job goes
/// through <see cref="Job.TransitionTo"/>, which asks here.
/// </summary>
public static class JobStateMachine
{
    private static readonly FrozenDictionary<JobState, JobState[]> Allowed = new Dictionary<JobState, JobState[]>
    {
        // Failed straight from Queued: the job can never run (unknown backend, too big for every cluster).
        [JobState.Queued] = [JobState.Dispatching, JobState.Cancelled, JobState.Failed],
        // Back to Queued: the dispatch failed or the cluster went away before the job started.
        // Running directly: backends whose "create" already starts the work (local processes).
        [JobState.Dispatching] = [JobState.Submitted, JobState.Running, JobState.Queued, JobState.Failed, JobState.Cancelling, JobState.Succeeded],
        [JobState.Submitted] = [JobState.Running, JobState.Succeeded, JobState.Failed, JobState.Cancelling, JobState.Queued],
        // Back to Queued: failover of a job whose cluster was lost, while attempts remain.
        [JobState.Running] = [JobState.Succeeded, JobState.Failed, JobState.Cancelling, JobState.Queued],
        // A job may finish on its own before the cancel reaches it.
        [JobState.Cancelling] = [JobState.Cancelled, JobState.Succeeded, JobState.Failed],
        [JobState.Succeeded] = [],
        [JobState.Failed] = [],
        [JobState.Cancelled] = [],
    }.ToFrozenDictionary();

    public static bool CanTransition(JobState from, JobState to) => Allowed[from].Contains(to);

    public static bool IsTerminal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    /// <summary>States in which the job holds capacity on its cluster.</summary>
    public static bool HoldsCapacity(JobState state) =>
        state is JobState.Dispatching or JobState.Submitted or JobState.Running or JobState.Cancelling;
}
