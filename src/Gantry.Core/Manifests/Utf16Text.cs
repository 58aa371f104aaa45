namespace Gantry.Core.Manifests;

/// <summary>Whether a .NET string is text that can be written as UTF-8: every surrogate in a high-low pair.</summary>
public static class Utf16Text
{
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
