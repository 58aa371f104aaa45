namespace Gantry.Core.Labels;

public enum LabelOperator
{
    Equals,
    NotEquals,
    Exists,
    DoesNotExist,
    In,
    NotIn,
}

/// <summary>One clause of a label selector, such as <c>team=ml</c> or <c>!experimental</c>.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Equals => has && value == Values[0],
            LabelOperator.NotEquals => !has || value != Values[0],
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            LabelOperator.In => has && Values.Contains(value!),
            LabelOperator.NotIn => !has || !Values.Contains(value!),
            _ => false,
        };
    }
}
