using Gantry.Core.Queues;

namespace Gantry.Storage;

public interface IQueueStore
{
    Task<IReadOnlyList<Queue>> ListAsync(CancellationToken cancellationToken);

    Task<Queue?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the queue; throws <see cref="Core.Errors.ConflictException"/> if the name is taken.</summary>
    Task CreateAsync(Queue queue, CancellationToken cancellationToken);

    /// <summary>Replaces the queue's settings; throws <see cref="Core.Errors.NotFoundException"/> if absent.</summary>
    Task UpdateAsync(Queue queue, CancellationToken cancellationToken);

    /// <summary>Deletes the queue; throws <see cref="Core.Errors.ConflictException"/> while it holds unfinished jobs.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates the queue only if no queue of that name exists.</summary>
    Task EnsureAsync(Queue queue, CancellationToken cancellationToken);
}
