using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gantry.Core.Manifests;

/// <summary>
/// Turns YAML into JSON with YAML 1.2 core-schema typing: plain scalars become numbers,
/// booleans or null where they look like them, quoted scalars stay strings.
/// <para>
/// The sender controls the document, so it is read from YamlDotNet's event stream by a loop with
/// its own stack (never by recursion, whose depth would be the sender's to choose), and every
/// alias is checked before it is expanded: an alias of an anchor still open (<c>&amp;a [*a]</c>)
/// is refused, and expanded aliases count towards <see cref="DocumentLimits.MaxNodes"/> and
/// <see cref="DocumentLimits.MaxDepth"/>, so the "billion laughs" shape ends at the limit.
/// </para>
/// </summary>
public static partial class YamlJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Parses one document; throws <see cref="YamlException"/> or <see cref="FormatException"/> with a position, or a limit.</summary>
    public static JsonNode? Parse(string yaml, DocumentLimits? limits = null)
    {
        var documents = ParseAll(yaml, limits);
        return documents.Count switch
        {
            0 => throw new FormatException("The YAML holds no document."),
            1 => documents[0],
            _ => throw new FormatException($"Send one manifest per request; this YAML holds {documents.Count} documents."),
        };
    }

    /// <summary>Every document of a multi-document YAML stream, in order; the limits hold for the stream as a whole.</summary>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml, DocumentLimits? limits = null)
    {
        var reader = new YamlEventReader(limits ?? DocumentLimits.Default);
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            var documents = new List<JsonNode?>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                documents.Add(reader.ReadDocument(parser));
                parser.Consume<DocumentEnd>();
            }
            parser.Consume<StreamEnd>();
            return documents;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, not a YamlException, on some broken input (found by
            // the fuzz test: a flow sequence cut by stray bytes). It is the sender's mistake all the same.
            throw new FormatException($"The YAML could not be read: {ex.Message}", ex);
        }
    }

    internal static JsonNode? ConvertScalar(Scalar scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || scalar.Tag is { IsEmpty: false, IsNonSpecific: false, Value: StringTag })
        {
            return JsonValue.Create(text);
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(text);
    }
}
