using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Experiments;
using Gantry.Core.Jobs;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Progress;
using Gantry.Core.Validation;
using Gantry.Server.Auth;
using Gantry.Server.Jobs;
using Gantry.Storage;

namespace Gantry.Server.Experiments;

/// <summary>
/// What a user does to an experiment through any replica: read it, cancel it, raise its budget.
/// These writes are not fenced (they are the user's, not the leader's) but version-checked, so a
/// controller pass that read the experiment before them fails its own write and looks again.
/// </summary>
public sealed class ExperimentActions(IGantryStore store, JobLifecycle jobs, TimeProvider time)
{
    public const string CancelledReason = "ExperimentCancelled";
    private const int Attempts = 5;

    /// <summary>The experiment if it exists and the caller may see it; otherwise a 404 that does not say which.</summary>
    public async Task<ExperimentRun> GetVisibleAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var run = JobId.IsWellFormed(id) ? await store.Experiments.GetAsync(id, cancellationToken) : null;
        if (run is null || !caller.CanSee(run.Owner))
        {
            throw new NotFoundException("Experiment", id);
        }
        return run;
    }

    /// <summary>Ends an unfinished experiment (Katib has no cancel state: Failed, reason ExperimentCancelled) and cancels its active trials' jobs.</summary>
    public async Task<ExperimentRun> CancelAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        var run = await ChangeAsync(id, caller, current =>
        {
            if (current.IsFinished)
            {
                throw new ConflictException($"Experiment {current.Id} already ended ({current.State}, {current.Reason}); there is nothing to cancel.");
            }
            var now = time.GetUtcNow();
            return current with
            {
                State = ExperimentConditionType.Failed,
                Reason = CancelledReason,
                Message = $"Experiment was cancelled by {caller.Name}",
                FinishedAt = now,
                UpdatedAt = now,
            };
        }, cancellationToken);
        // The leader's controller would stop them too; doing it here makes the cancel take effect now.
        foreach (var trial in await store.Experiments.TrialsAsync(run.Id, cancellationToken))
        {
            if (trial.State.IsActive() && trial.JobId is { } jobId)
            {
                await jobs.CancelAsync(jobId, caller, cancellationToken);
            }
        }
        return run;
    }

    /// <summary>
    /// Raises <c>maxTrialCount</c>: a running experiment gets the larger budget; a finished one is
    /// resumed under Katib's rule (only after ExperimentMaxTrialsReached, resumePolicy not Never),
    /// Restarting until the controller's next pass runs it.
    /// </summary>
    public async Task<ExperimentRun> ResumeAsync(string id, Caller caller, long maxTrialCount, CancellationToken cancellationToken)
    {
        // Read before the visibility check ChangeAsync makes: nothing of them is said unless it passes.
        var trials = (await store.Experiments.TrialsAsync(id, cancellationToken)).Select(t => t.ToRecord()).ToList();
        return await ChangeAsync(id, caller, current =>
        {
            if (maxTrialCount is < 1 or > int.MaxValue)
            {
                throw ValidationException.For("maxTrialCount", "must be a whole number from 1 to 2147483647");
            }
            var spec = ExperimentSubmitter.Read(current);
            var counts = TrialCounts.From(trials.Select(t => t.State));
            if (maxTrialCount <= counts.Total)
            {
                throw ValidationException.For("maxTrialCount", $"must exceed the {counts.Total} trials already made, not {maxTrialCount}");
            }
            if (current.IsFinished)
            {
                var decision = new ProgressDecision(current.State, current.Reason, current.Message, 0, false, counts, null);
                if (ExperimentProgress.CheckResume(spec, decision, (int)maxTrialCount) is { } refused)
                {
                    throw new ConflictException($"Experiment {current.Id} cannot be resumed: {refused}.");
                }
            }
            var manifest = (JsonObject)JsonNode.Parse(current.Manifest)!;
            if (manifest["spec"] is not JsonObject specNode)
            {
                throw new InvalidOperationException($"Experiment {current.Id}'s stored manifest has no spec.");
            }
            specNode["maxTrialCount"] = maxTrialCount;
            // The new budget must pass Katib's rules with the rest (parallel ≤ max, a grid's size...).
            var check = ExperimentReader.Check(manifest);
            if (!check.Errors.IsEmpty)
            {
                var problems = check.Errors.ToDictionary();
                throw ValidationException.For("maxTrialCount", string.Join("; ", problems.SelectMany(p => p.Value.Select(m => $"{p.Key} {m}"))));
            }
            var now = time.GetUtcNow();
            return current with
            {
                Manifest = manifest.ToJsonString(),
                State = current.IsFinished ? ExperimentConditionType.Restarting : current.State,
                Reason = current.IsFinished ? ExperimentReasons.Restarting : current.Reason,
                Message = current.IsFinished ? $"Experiment is restarting with maxTrialCount {maxTrialCount}" : current.Message,
                FinishedAt = null,
                UpdatedAt = now,
            };
        }, cancellationToken);
    }

    private async Task<ExperimentRun> ChangeAsync(string id, Caller caller, Func<ExperimentRun, ExperimentRun> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetVisibleAsync(id, caller, cancellationToken);
            try
            {
                return await store.Experiments.UpdateAsync(change(current), null, cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                // The controller wrote in between: read again and re-apply.
            }
        }
    }
}
