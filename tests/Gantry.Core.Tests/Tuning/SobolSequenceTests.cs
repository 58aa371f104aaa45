using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Suggestions;

namespace Gantry.Core.Tests.Tuning;

public class SobolSequenceTests
{
    [Fact]
    public void The_first_eight_points_in_three_dimensions_are_the_known_Sobol_points()
    {
        // The unscrambled sequence as SciPy's Sobol(d=3, scramble=False) and Joe–Kuo's generator give it.
        double[][] expected =
        [
            [0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625], [0.875, 0.875, 0.125], [0.625, 0.125, 0.875], [0.125, 0.625, 0.375],
        ];
        var sobol = new SobolSequence(3);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], sobol.Point(i));
        }
    }

    [Fact]
    public void Every_dimension_hits_each_of_the_first_64_cells_once()
    {
        var sobol = new SobolSequence(SobolSequence.MaxDimensions);
        var points = Enumerable.Range(0, 64).Select(i => sobol.Point(i)).ToList();

        for (var d = 0; d < SobolSequence.MaxDimensions; d++)
        {
            Assert.Equal(Enumerable.Range(0, 64), points.Select(p => (int)(p[d] * 64)).Order());
        }
    }

    [Fact]
    public void Direction_numbers_use_primitive_polynomials_and_odd_initial_values_below_two_to_the_k()
    {
        foreach (var (degree, coefficients, initial) in SobolDirections.Polynomials)
        {
            var polynomial = (1u << degree) | (coefficients << 1) | 1u;
            Assert.Equal((1 << degree) - 1, OrderOfX(polynomial, degree));
            Assert.Equal(degree, initial.Length);
            for (var k = 0; k < degree; k++)
            {
                Assert.True(initial[k] % 2 == 1 && initial[k] < 1u << (k + 1), $"m_{k + 1} = {initial[k]} for degree {degree}");
            }
        }
    }

    [Fact]
    public void Sobol_search_continues_the_sequence_from_the_number_of_trials_and_skips_the_origin()
    {
        var space = new SearchSpace([Parameter.Double("x", 0, 8), Parameter.Double("y", 0, 8)]);
        var first = new SobolSearch().Suggest(Spaces.Request(space, AlgorithmNames.Sobol, [], 2, seed: 0));
        var history = first.Assignments.Select((a, i) => new TrialRecord($"t{i}", a, TrialState.Succeeded, 1.0)).ToList();
        var next = new SobolSearch().Suggest(Spaces.Request(space, AlgorithmNames.Sobol, history, 1, seed: 5));

        Assert.Equal(["4", "4"], first.Assignments[0].Select(a => a.Value));
        Assert.Equal(["6", "2"], first.Assignments[1].Select(a => a.Value));
        Assert.Equal(["2", "6"], next.Assignments[0].Select(a => a.Value));
    }

    /// <summary>The multiplicative order of x modulo the polynomial over GF(2); 2^degree − 1 exactly when it is primitive.</summary>
    private static int OrderOfX(uint polynomial, int degree)
    {
        uint value = 1;
        for (var k = 1; k <= 1 << degree; k++)
        {
            value <<= 1;
            if ((value & (1u << degree)) != 0)
            {
                value ^= polynomial;
            }
            if (value == 1)
            {
                return k;
            }
        }
        return -1;
    }
}
