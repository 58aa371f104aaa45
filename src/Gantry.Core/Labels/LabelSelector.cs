using Gantry.Core.Errors;

namespace Gantry.Core.Labels;

/// <summary>
/// A Kubernetes-style label selector: <c>team=ml,env!=dev,gpu,!spot,region in (east,west)</c>.
/// All requirements must hold.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>Parses a selector, or throws a <see cref="ValidationException"/> naming <paramref name="field"/>.</summary>
    public static LabelSelector Parse(string? text, string field = "labelSelector")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<LabelRequirement>();
        foreach (var clause in SplitClauses(text))
        {
            requirements.Add(ParseClause(clause.Trim(), field));
        }
        return new LabelSelector(requirements);
    }

    private static LabelRequirement ParseClause(string clause, string field)
    {
        if (clause.Length == 0)
        {
            throw ValidationException.For(field, "has an empty requirement (two commas in a row?)");
        }
        var words = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 2 && words[1] is "in" or "notin")
        {
            var open = clause.IndexOf('(', StringComparison.Ordinal);
            var close = clause.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                throw ValidationException.For(field, $"'{clause}' needs a value list in parentheses, e.g. 'region in (east,west)'");
            }
            var values = clause[(open + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Checked(new LabelRequirement(words[0], words[1] == "in" ? LabelOperator.In : LabelOperator.NotIn, values), field);
        }
        if (clause.StartsWith('!'))
        {
            return Checked(new LabelRequirement(clause[1..].Trim(), LabelOperator.DoesNotExist, []), field);
        }
        foreach (var (token, op) in new[] { ("!=", LabelOperator.NotEquals), ("==", LabelOperator.Equals), ("=", LabelOperator.Equals) })
        {
            var at = clause.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return Checked(new LabelRequirement(clause[..at].Trim(), op, [clause[(at + token.Length)..].Trim()]), field);
            }
        }
        return Checked(new LabelRequirement(clause, LabelOperator.Exists, []), field);
    }

    private static LabelRequirement Checked(LabelRequirement requirement, string field)
    {
        if (!LabelRules.IsValidKey(requirement.Key))
        {
            throw ValidationException.For(field, $"'{requirement.Key}' is not a valid label key");
        }
        foreach (var value in requirement.Values)
        {
            if (!LabelRules.IsValidValue(value))
            {
                throw ValidationException.For(field, $"'{value}' is not a valid label value");
            }
        }
        return requirement;
    }

    /// <summary>Splits on commas that are not inside an <c>in (...)</c> list.</summary>
    private static IEnumerable<string> SplitClauses(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }
}
