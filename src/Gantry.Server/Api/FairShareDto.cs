using Gantry.Core.Scheduling;
using Gantry.Server.Scheduling;

namespace Gantry.Server.Api;

/// <summary>
/// A queue's dominant share of the healthy clusters' capacity and the share its weight entitles it
/// to (both 0..1), as of the scheduler's last round (<paramref name="EvaluatedAt"/>).
/// </summary>
public sealed record FairShareDto(double Share, double Entitlement, bool Demanding, DateTimeOffset EvaluatedAt)
{
    /// <summary>Every queue's fair share from the last round; empty before the first round.</summary>
    public static IReadOnlyDictionary<string, FairShareDto> FromLastRound(LastRound lastRound)
    {
        if (lastRound.Current is not { } round)
        {
            return new Dictionary<string, FairShareDto>();
        }
        return FairShares.Of(round.Snapshot).ToDictionary(
            s => s.Key,
            s => new FairShareDto(s.Value.Share, s.Value.Entitlement, s.Value.Demanding, round.At),
            StringComparer.Ordinal);
    }
}
