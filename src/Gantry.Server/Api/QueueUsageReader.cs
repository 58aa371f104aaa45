using Gantry.Core.Resources;
using Gantry.Storage;

namespace Gantry.Server.Api;

/// <summary>Per-queue usage from the active jobs and the queued counts.</summary>
public sealed class QueueUsageReader(IGantryStore store)
{
    public async Task<IReadOnlyDictionary<string, QueueUsageDto>> ReadAsync(CancellationToken cancellationToken)
    {
        var active = await store.Jobs.ActiveAsync(cancellationToken);
        var queued = await store.Jobs.QueuedCountsAsync(cancellationToken);
        var names = active.Select(j => j.Queue).Concat(queued.Keys).Distinct(StringComparer.Ordinal);
        return names.ToDictionary(
            name => name,
            name =>
            {
                var mine = active.Where(j => j.Queue == name).ToList();
                var used = mine.Aggregate(Resources.Zero, (sum, j) => sum + j.Demand.Total);
                return new QueueUsageDto(ResourcesDto.From(used), mine.Count, queued.GetValueOrDefault(name));
            },
            StringComparer.Ordinal);
    }
}
