using Gantry.Cli.Client;

namespace Gantry.Cli.Commands;

/// <summary>Labels as kubectl spells them on a command line: <c>k=v</c> sets, <c>k-</c> removes.</summary>
public static class LabelArguments
{
    public static Dictionary<string, string?> Parse(IEnumerable<string> arguments, bool allowRemoval)
    {
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                labels[argument[..equals]] = argument[(equals + 1)..];
            }
            else if (allowRemoval && argument.Length > 1 && argument.EndsWith('-'))
            {
                labels[argument[..^1]] = null;
            }
            else
            {
                throw new CliException($"'{argument}' is not a label: write key=value{(allowRemoval ? ", or key- to remove one" : "")}.");
            }
        }
        return labels;
    }
}
