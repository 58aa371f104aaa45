namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// The Sobol low-discrepancy sequence (Bratley–Fox construction, Gray-code order, 32-bit), unscrambled,
/// so point i is the same everywhere: 0, 1/2, 3/4, 1/4, 3/8, ... in the first dimension.
/// Direction numbers come from <see cref="SobolDirections"/>, which bounds the dimensions.
/// Point i is computed straight from i (no state), so a restarted controller continues exactly.
/// </summary>
public sealed class SobolSequence
{
    public const int Bits = 32;

    public static int MaxDimensions => SobolDirections.Polynomials.Count + 1;

    private readonly uint[][] _directions;

    public SobolSequence(int dimensions)
    {
        if (dimensions < 1 || dimensions > MaxDimensions)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"Sobol supports 1 to {MaxDimensions} dimensions.");
        }
        _directions = new uint[dimensions][];
        for (var d = 0; d < dimensions; d++)
        {
            _directions[d] = Directions(d);
        }
    }

    public int Dimensions => _directions.Length;

    public double[] Point(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, 1L << Bits);
        var gray = (ulong)index ^ ((ulong)index >> 1);
        var point = new double[_directions.Length];
        for (var d = 0; d < _directions.Length; d++)
        {
            uint x = 0;
            for (var bit = 0; gray >> bit != 0; bit++)
            {
                if (((gray >> bit) & 1) != 0)
                {
                    x ^= _directions[d][bit];
                }
            }
            point[d] = x / 4294967296.0;
        }
        return point;
    }

    /// <summary>V[k] = m_k / 2^k as 32-bit fractions; m_k beyond the initial ones from the primitive polynomial's recurrence.</summary>
    private static uint[] Directions(int dimension)
    {
        var v = new uint[Bits];
        if (dimension == 0)
        {
            for (var k = 0; k < Bits; k++)
            {
                v[k] = 1u << (Bits - 1 - k);
            }
            return v;
        }
        var (degree, coefficients, initial) = SobolDirections.Polynomials[dimension - 1];
        for (var k = 0; k < degree; k++)
        {
            v[k] = initial[k] << (Bits - 1 - k);
        }
        for (var k = degree; k < Bits; k++)
        {
            var value = v[k - degree] ^ (v[k - degree] >> degree);
            for (var i = 1; i < degree; i++)
            {
                if (((coefficients >> (degree - 1 - i)) & 1) != 0)
                {
                    value ^= v[k - i];
                }
            }
            v[k] = value;
        }
        return v;
    }
}
