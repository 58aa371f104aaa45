using System.Text;
using Gantry.Backends;
using Gantry.Core.Errors;
using Gantry.Core.Experiments;
using Gantry.Core.Tuning;
using Gantry.Core.Users;
using Gantry.Core.Validation;
using Gantry.Server.Auth;
using Gantry.Server.Hosting;
using Gantry.Server.Jobs;
using Gantry.Server.Manifests;
using Gantry.Server.Monitoring;
using Gantry.Server.Options;
using Gantry.Server.Replication;
using Gantry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Experiments;

/// <summary>
/// The leader's experiment controller: every interval, for each experiment with work left, read
/// its trials and their jobs and metrics, let <see cref="ExperimentPlanner"/> decide, and carry
/// the plan out with fenced writes. New trials are recorded before their jobs are submitted, and
/// each job is submitted under its trial's idempotency key, so a leader killed anywhere in between
/// leaves its successor a trial to submit again, never a second job.
/// </summary>
public sealed partial class ExperimentController(
    IGantryStore store,
    JobSubmitter submitter,
    JobLifecycle jobs,
    TrialMetricsReader metricsReader,
    ExperimentMetrics metrics,
    CrashPoints crashPoints,
    IOptions<GantryOptions> options,
    Leadership leadership,
    Readiness readiness,
    TimeProvider time,
    ILogger<ExperimentController> logger) : LeaderService(leadership, readiness)
{
    protected override async Task RunTermAsync(LeaderTerm term, CancellationToken acting)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.Experiments.IntervalMilliseconds);
        while (!acting.IsCancellationRequested)
        {
            try
            {
                foreach (var run in await store.Experiments.UnsettledAsync(acting))
                {
                    try
                    {
                        await ReconcileAsync(run, term, acting);
                    }
                    catch (ConcurrencyException)
                    {
                        // A user's cancel or resume landed in between: the next pass reads it.
                    }
                    catch (Exception ex) when (!acting.IsCancellationRequested && ex is not FencedOutException)
                    {
                        LogExperimentFailed(ex, run.Id);
                    }
                }
            }
            catch (Exception ex) when (!acting.IsCancellationRequested && ex is not FencedOutException)
            {
                LogPassFailed(ex);
            }
            await Task.Delay(interval, time, acting);
        }
    }

    internal async Task ReconcileAsync(ExperimentRun run, LeaderTerm term, CancellationToken cancellationToken)
    {
        var spec = ExperimentSubmitter.Read(run);
        var owner = new Caller(run.Owner, Role.User) { Groups = run.OwnerGroups };
        var trials = (await store.Experiments.TrialsAsync(run.Id, cancellationToken)).ToList();
        // Trials a previous pass (maybe a previous leader) recorded but did not see submitted.
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].State.IsActive() && trials[i].JobId is null && !run.IsFinished)
            {
                trials[i] = await SubmitAsync(run, spec, owner, trials[i], term, cancellationToken);
            }
        }
        var snapshots = new List<TrialSnapshot>(trials.Count);
        foreach (var trial in trials)
        {
            snapshots.Add(await SnapshotAsync(spec, trial, cancellationToken));
        }
        var plan = ExperimentPlanner.Plan(spec, run, snapshots, time.GetUtcNow());
        foreach (var trial in plan.ChangedTrials)
        {
            await store.Experiments.UpdateTrialAsync(trial, term.Fence, cancellationToken);
            if (trial.State == TrialState.EarlyStopped)
            {
                metrics.EarlyStopped();
                LogEarlyStopped(run.Id, trial.Name, trial.Message);
            }
        }
        foreach (var jobId in plan.JobsToCancel)
        {
            await CancelJobAsync(jobId, owner, cancellationToken);
        }
        var experiment = plan.Experiment;
        if (plan.NewTrials.Count > 0)
        {
            if (!await store.Experiments.AddTrialsAsync(run.Id, plan.NewTrials, term.Fence, cancellationToken))
            {
                return; // cancelled in between: the next pass stops what runs
            }
            metrics.TrialsCreated(plan.NewTrials.Count);
            crashPoints.Reach(CrashPoints.AfterTrialsRecorded);
            foreach (var trial in plan.NewTrials)
            {
                await SubmitAsync(run, spec, owner, trial, term, cancellationToken);
            }
        }
        if (Changed(run, experiment))
        {
            await store.Experiments.UpdateAsync(experiment with { UpdatedAt = time.GetUtcNow() }, term.Fence, cancellationToken);
            if (experiment.State != run.State)
            {
                LogStateChanged(run.Id, run.State, experiment.State, experiment.Reason);
            }
        }
    }

    private async Task<TrialSnapshot> SnapshotAsync(Experiment spec, TrialRun trial, CancellationToken cancellationToken)
    {
        if (!trial.State.IsActive() || trial.JobId is null || await store.Jobs.GetAsync(trial.JobId, cancellationToken) is not { } job)
        {
            return TrialSnapshot.Settled(trial);
        }
        var reported = await metricsReader.ReadAsync(spec, job, cancellationToken);
        return new TrialSnapshot(trial, job.State, job.Message, reported);
    }

    /// <summary>Submits the trial's job as the experiment's owner; a job Gantry refuses makes the trial Failed with the reason.</summary>
    private async Task<TrialRun> SubmitAsync(ExperimentRun run, Experiment spec, Caller owner, TrialRun trial, LeaderTerm term, CancellationToken cancellationToken)
    {
        var manifest = TrialManifestRenderer.Render(spec.TrialTemplate, trial.Assignments, trial.Name, null);
        var labels = new Dictionary<string, string>(run.Labels, StringComparer.Ordinal)
        {
            [ExperimentLabels.Experiment] = run.Id,
            [ExperimentLabels.Trial] = trial.Name,
        };
        var submission = new Submission(manifest, run.Queue, run.Priority, labels, trial.Name, MaxAttempts: 1);
        TrialRun submitted;
        try
        {
            var outcome = await submitter.SubmitAsync(
                submission, new ValidationErrors(), owner, trial.SubmissionKey, Encoding.UTF8.GetBytes(manifest.ToJsonString()), cancellationToken);
            crashPoints.Reach(CrashPoints.AfterTrialSubmitted);
            submitted = trial with { JobId = outcome.Job.Id, Message = "" };
        }
        catch (GantryException ex) when (ex is ValidationException or ForbiddenException or ConflictException or LimitExceededException or NotSupportedYetException)
        {
            submitted = trial with { State = TrialState.Failed, FinishedAt = time.GetUtcNow(), Message = "Gantry refused the trial's job: " + Describe(ex) };
            LogTrialRefused(run.Id, trial.Name, ex.Message);
        }
        await store.Experiments.UpdateTrialAsync(submitted, term.Fence, cancellationToken);
        return submitted;
    }

    private static string Describe(GantryException ex) => ex is ValidationException invalid
        ? string.Join("; ", invalid.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))
        : ex.Message;

    private async Task CancelJobAsync(string jobId, Caller owner, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.CancelAsync(jobId, owner, cancellationToken);
        }
        catch (NotFoundException)
        {
            // Gone: nothing to stop.
        }
    }

    private static bool Changed(ExperimentRun before, ExperimentRun after) =>
        before.State != after.State || before.Reason != after.Reason || before.Exhausted != after.Exhausted
        || before.StartedAt != after.StartedAt || before.FinishedAt != after.FinishedAt
        || !SameSummary(before.Summary, after.Summary);

    private static bool SameSummary(ExperimentSummary a, ExperimentSummary b) =>
        a.Counts == b.Counts && a.Best?.Name == b.Best?.Name && a.Best?.Objective == b.Best?.Objective
        && (a.Best?.Metrics ?? []).SequenceEqual(b.Best?.Metrics ?? []);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: a controller pass failed")]
    private partial void LogExperimentFailed(Exception exception, string experiment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The experiment controller's pass failed")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {Experiment}: trial {Trial} stopped early ({Reason})")]
    private partial void LogEarlyStopped(string experiment, string trial, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {Experiment}: {From} -> {To} ({Reason})")]
    private partial void LogStateChanged(string experiment, Core.Tuning.Progress.ExperimentConditionType from, Core.Tuning.Progress.ExperimentConditionType to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {Experiment}: trial {Trial}'s job was refused: {Reason}")]
    private partial void LogTrialRefused(string experiment, string trial, string reason);
}
