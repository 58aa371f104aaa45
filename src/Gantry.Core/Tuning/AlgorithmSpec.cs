namespace Gantry.Core.Tuning;

/// <summary>Katib's <c>spec.algorithm</c> or <c>spec.earlyStopping</c>: a name and string settings in the order given.</summary>
public sealed record AlgorithmSpec(string Name, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public string? Setting(string name)
    {
        foreach (var (key, value) in Settings)
        {
            if (key == name)
            {
                return value;
            }
        }
        return null;
    }
}
