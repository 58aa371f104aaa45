using System.Globalization;

namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// The seed for one suggestion call: from the experiment's <c>random_state</c> when set (so a rerun
/// repeats), else from its name, mixed with how many trials exist, so successive calls differ
/// and a controller restarted mid-experiment asks again with the same seed.
/// </summary>
public static class SuggestionSeed
{
    public static int Derive(AlgorithmSpec algorithm, string experimentKey, int trialsSoFar)
    {
        ulong hash = 14695981039346656037UL;
        var basis = algorithm.Setting("random_state") is { } state && long.TryParse(state, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? "random_state:" + s.ToString(CultureInfo.InvariantCulture)
            : "experiment:" + experimentKey;
        foreach (var c in $"{basis}/{trialsSoFar.ToString(CultureInfo.InvariantCulture)}")
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return (int)(hash ^ (hash >> 32)) & int.MaxValue;
    }
}
