using System.Globalization;

namespace Gantry.Core.Tuning;

/// <summary>
/// The parameters in order, with the translation between Katib's text assignments and the
/// points algorithms work on: a numeric parameter's value, or a list parameter's index.
/// </summary>
public sealed class SearchSpace(IReadOnlyList<Parameter> parameters)
{
    public IReadOnlyList<Parameter> Parameters { get; } = parameters;

    public int Dimensions => Parameters.Count;

    /// <summary>
    /// The point a trial's assignments stand for, or null when one is missing or outside the
    /// space (an experiment whose space changed): such a trial tells an algorithm nothing.
    /// </summary>
    public double[]? Encode(IReadOnlyList<ParameterAssignment> assignments)
    {
        var point = new double[Parameters.Count];
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            var text = Find(assignments, parameter.Name);
            if (text is null || !TryEncode(parameter, text, out point[i]))
            {
                return null;
            }
        }
        return point;
    }

    public IReadOnlyList<ParameterAssignment> Decode(IReadOnlyList<double> point)
    {
        var assignments = new ParameterAssignment[Parameters.Count];
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            var value = parameter.IsNumeric
                ? parameter.Format(point[i])
                : parameter.List[Math.Clamp((int)point[i], 0, parameter.List.Count - 1)];
            assignments[i] = new ParameterAssignment(parameter.Name, value);
        }
        return assignments;
    }

    private static bool TryEncode(Parameter parameter, string text, out double value)
    {
        if (!parameter.IsNumeric)
        {
            for (var i = 0; i < parameter.List.Count; i++)
            {
                if (parameter.List[i] == text)
                {
                    value = i;
                    return true;
                }
            }
            value = 0;
            return false;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return false;
        }
        var slack = (parameter.Max - parameter.Min) * 1e-9;
        return value >= parameter.Min - slack && value <= parameter.Max + slack;
    }

    private static string? Find(IReadOnlyList<ParameterAssignment> assignments, string name)
    {
        foreach (var assignment in assignments)
        {
            if (assignment.Name == name)
            {
                return assignment.Value;
            }
        }
        return null;
    }
}
