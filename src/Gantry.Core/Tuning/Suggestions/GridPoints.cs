namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// Katib's grid (<c>convert_to_combinations</c>): an int takes min, min+step, ... up to max (step 1
/// by default), a double min + k·step up to max (a last value past max is dropped), a list
/// parameter each of its values. Points are numbered in mixed radix, the last parameter fastest.
/// </summary>
public sealed class GridPoints
{
    private readonly double[][] _values;

    public GridPoints(IReadOnlyList<Parameter> parameters)
    {
        _values = [.. parameters.Select(Values)];
        Count = CountOf(parameters, long.MaxValue);
    }

    public long Count { get; }

    /// <summary>The number of points, or <paramref name="cap"/> + 1 once past it (so a huge grid is never multiplied out).</summary>
    public static long CountOf(IReadOnlyList<Parameter> parameters, long cap)
    {
        long count = 1;
        foreach (var parameter in parameters)
        {
            count *= ValueCount(parameter);
            if (count > cap)
            {
                return cap == long.MaxValue ? cap : cap + 1;
            }
        }
        return count;
    }

    public double[] Point(long index)
    {
        var point = new double[_values.Length];
        for (var i = _values.Length - 1; i >= 0; i--)
        {
            point[i] = _values[i][index % _values[i].Length];
            index /= _values[i].Length;
        }
        return point;
    }

    /// <summary>The number of the grid point an encoded trial point sits on, or null when it sits on none.</summary>
    public long? IndexOf(IReadOnlyList<double> point)
    {
        long index = 0;
        for (var i = 0; i < _values.Length; i++)
        {
            var values = _values[i];
            var found = -1;
            for (var k = 0; k < values.Length; k++)
            {
                if (Math.Abs(values[k] - point[i]) <= 1e-9 * Math.Max(1, Math.Abs(values[k])))
                {
                    found = k;
                    break;
                }
            }
            if (found < 0)
            {
                return null;
            }
            index = index * values.Length + found;
        }
        return index;
    }

    public static double[] Values(Parameter parameter)
    {
        if (!parameter.IsNumeric)
        {
            return [.. Enumerable.Range(0, parameter.List.Count).Select(i => (double)i)];
        }
        var step = parameter.GridStep ?? throw new ArgumentException($"Parameter '{parameter.Name}' has no step for a grid.", nameof(parameter));
        var count = ValueCount(parameter);
        var values = new double[count];
        for (var k = 0; k < count; k++)
        {
            // Parse what the trial will see, so a grid value equals the assignment read back from history.
            values[k] = double.Parse(parameter.Format(parameter.Min + k * step), System.Globalization.CultureInfo.InvariantCulture);
        }
        return values;
    }

    private static long ValueCount(Parameter parameter)
    {
        if (!parameter.IsNumeric)
        {
            return parameter.List.Count;
        }
        var step = parameter.GridStep ?? 0;
        if (step <= 0)
        {
            return 1;
        }
        // The tolerance keeps 0.9 in a 0.5..0.9 grid of step 0.1 despite 0.4/0.1 = 3.9999999999999996.
        return (long)Math.Floor((parameter.Max - parameter.Min) / step + 1e-9) + 1;
    }
}
