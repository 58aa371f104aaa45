using Gantry.Core.Scheduling;
using Gantry.Storage;

namespace Gantry.Server.Api;

/// <summary>Per-queue usage from the active jobs and the queued counts.</summary>
public sealed class QueueUsageReader(IGantryStore store)
{
    public async Task<IReadOnlyDictionary<string, QueueUsageDto>> ReadAsync(CancellationToken cancellationToken)
    {
        var active = await store.Jobs.ActiveAsync(cancellationToken);
        var queued = await store.Jobs.QueuedCountsAsync(cancellationToken);
        var usage = QueueUsage.ByQueue(active);
        return usage.Keys.Concat(queued.Keys).Distinct(StringComparer.Ordinal).ToDictionary(
            name => name,
            name =>
            {
                var held = usage.GetValueOrDefault(name);
                return new QueueUsageDto(ResourcesDto.From(held.Held), held.RunningJobs, queued.GetValueOrDefault(name));
            },
            StringComparer.Ordinal);
    }
}
