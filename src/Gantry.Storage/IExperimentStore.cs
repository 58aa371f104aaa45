using Gantry.Core.Experiments;

namespace Gantry.Storage;

/// <summary>Experiments and their trials. Leader writes carry a <see cref="LeaseFence"/>; the API's writes (cancel, resume) do not.</summary>
public interface IExperimentStore
{
    /// <summary>
    /// Stores a new experiment. With an idempotency key the owner already used it stores nothing and
    /// returns the first one (Created false); a different request under the same key is a conflict.
    /// </summary>
    Task<(ExperimentRun Experiment, bool Created)> InsertAsync(ExperimentRun experiment, string? idempotencyKey, string? requestHash, CancellationToken cancellationToken);

    Task<ExperimentRun?> GetAsync(string id, CancellationToken cancellationToken);

    Task<ExperimentPage> ListAsync(ExperimentQuery query, CancellationToken cancellationToken);

    /// <summary>Experiments the controller still has work on: unfinished ones, and finished ones with active trials.</summary>
    Task<IReadOnlyList<ExperimentRun>> UnsettledAsync(CancellationToken cancellationToken);

    /// <summary>Writes the experiment if it still has <c>Version</c>; throws <see cref="ConcurrencyException"/> otherwise.</summary>
    Task<ExperimentRun> UpdateAsync(ExperimentRun experiment, LeaseFence? fence, CancellationToken cancellationToken);

    /// <summary>The experiment's trials in creation order.</summary>
    Task<IReadOnlyList<TrialRun>> TrialsAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>
    /// Records new trials, all or none, only while the experiment is unfinished (false otherwise):
    /// a cancel that lands between the controller's read and this write stops them.
    /// </summary>
    Task<bool> AddTrialsAsync(string experimentId, IReadOnlyList<TrialRun> trials, LeaseFence? fence, CancellationToken cancellationToken);

    /// <summary>Writes a trial's state, job, metrics and message.</summary>
    Task UpdateTrialAsync(TrialRun trial, LeaseFence? fence, CancellationToken cancellationToken);

    /// <summary>How many experiments are in each state, and trials in each state: for /metrics.</summary>
    Task<ExperimentCounts> CountAsync(CancellationToken cancellationToken);
}
