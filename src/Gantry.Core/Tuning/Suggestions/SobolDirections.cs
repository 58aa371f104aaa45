namespace Gantry.Core.Tuning.Suggestions;

/// <summary>
/// Direction numbers for dimensions 2 and up: a primitive polynomial over GF(2) of degree s with
/// inner coefficients a (bits a_1..a_{s-1}), and initial odd m_1..m_s with m_k &lt; 2^k. These are
/// the first 20 rows of Joe and Kuo's search (the same ones SciPy and most libraries start with),
/// written down here rather than copied from a file; the tests check that every polynomial is
/// primitive and every m valid, which is all a Sobol sequence needs to be one.
/// </summary>
public static class SobolDirections
{
    public static readonly IReadOnlyList<(int Degree, uint Coefficients, uint[] Initial)> Polynomials =
    [
        (1, 0, [1]),
        (2, 1, [1, 3]),
        (3, 1, [1, 3, 1]),
        (3, 2, [1, 1, 1]),
        (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]),
        (5, 2, [1, 1, 5, 5, 17]),
        (5, 4, [1, 1, 5, 5, 5]),
        (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]),
        (5, 13, [1, 1, 1, 3, 11]),
        (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]),
        (6, 13, [1, 1, 1, 15, 21, 21]),
        (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]),
        (6, 22, [1, 3, 1, 15, 13, 25]),
        (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]),
        (7, 4, [1, 3, 7, 13, 13, 15, 69]),
    ];
}
