namespace Gantry.Core.Tuning;

/// <summary>Katib's trial names: the experiment's name, a dash and 8 random lower-case letters and digits.</summary>
public static class TrialNames
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string Next(string experimentName, Random random)
    {
        Span<char> suffix = stackalloc char[8];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = Alphabet[random.Next(Alphabet.Length)];
        }
        return $"{experimentName}-{suffix}";
    }
}
