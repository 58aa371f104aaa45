using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gantry.Core.Manifests;

/// <summary>
/// Turns one YAML document into JSON with YAML 1.2 core-schema typing: plain scalars become
/// numbers, booleans or null where they look like them, quoted scalars stay strings.
/// </summary>
public static partial class YamlJson
{
    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Parses one document; throws <see cref="YamlException"/> or <see cref="FormatException"/> with a position.</summary>
    public static JsonNode? Parse(string yaml)
    {
        var documents = ParseAll(yaml);
        return documents.Count switch
        {
            0 => throw new FormatException("The YAML holds no document."),
            1 => documents[0],
            _ => throw new FormatException($"The YAML holds {documents.Count} documents; submit one job per request."),
        };
    }

    /// <summary>Every document of a multi-document YAML stream, in order.</summary>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).ToList();
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new FormatException($"Unsupported YAML node at {node.Start}."),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new FormatException($"Only plain keys are supported (line {key.Start.Line}).");
            }
            if (!result.TryAdd(name, Convert(value)))
            {
                throw new FormatException($"Key '{name}' appears twice (line {key.Start.Line}).");
            }
        }
        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
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
        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(text);
    }
}
