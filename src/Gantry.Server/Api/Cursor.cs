using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Gantry.Server.Api;

/// <summary>
/// The opaque list cursor: the insertion sequence of the last job on a page, base64url-encoded
/// so clients do not build their own. Jobs inserted later sort before it and never shift a page.
/// </summary>
public static class Cursor
{
    private const string Prefix = "v1:";

    public static string Encode(long seq) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + seq.ToString(CultureInfo.InvariantCulture)));

    public static long Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
                && seq > 0)
            {
                return seq;
            }
        }
        catch (FormatException)
        {
            // Falls through to the same answer as any other cursor we did not issue.
        }
        throw RequestException.BadField("cursor", "is not a cursor this server issued; pass the nextCursor of a previous page, or omit it for the first page");
    }
}
