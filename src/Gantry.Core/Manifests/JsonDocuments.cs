using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Errors;

namespace Gantry.Core.Manifests;

/// <summary>
/// Parses JSON read from a request into a <see cref="JsonNode"/> only after one pass of
/// <see cref="Utf8JsonReader"/> (a loop, no recursion) has checked what the sender controls:
/// nesting, node count, string length, that every string and key is real text (no lone UTF-16
/// surrogate such as <c>"\ud800"</c>, no invalid UTF-8) and that no object repeats a key. So
/// nothing read from the tree later can throw on the sender's behalf, and every refusal names
/// the field (<c>manifest.spec.containers[0].name</c>) or the limit.
/// </summary>
public static class JsonDocuments
{
    /// <summary>The document at <paramref name="utf8"/>; <see cref="MalformedDocumentException"/> or <see cref="LimitExceededException"/> otherwise.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, DocumentLimits limits, string field = "body")
    {
        Check(utf8, limits, field);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = limits.MaxDepth + 1 });
        }
        catch (JsonException ex)
        {
            // Check has read the whole document already; this is a backstop, never the sender's 500.
            throw new MalformedDocumentException(field, $"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Walks the document once and throws at its first problem.</summary>
    public static void Check(ReadOnlySpan<byte> utf8, DocumentLimits limits, string field = "body")
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = limits.MaxDepth + 1 });
        var path = new DocumentPath("", field);
        var nodes = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Value();
                        Count(ref nodes, limits, path);
                        if (path.Depth + 1 > limits.MaxDepth)
                        {
                            throw DocumentLimitErrors.Depth(path.ToString(), limits);
                        }
                        path.Open(reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.Close();
                        break;
                    case JsonTokenType.PropertyName:
                        path.Key(Text(ref reader, limits, path));
                        break;
                    case JsonTokenType.String:
                        path.Value();
                        Count(ref nodes, limits, path);
                        Text(ref reader, limits, path);
                        break;
                    default:
                        path.Value();
                        Count(ref nodes, limits, path);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new MalformedDocumentException(field, $"The body is not valid JSON: {ex.Message}");
        }
    }

    private static void Count(ref int nodes, DocumentLimits limits, DocumentPath path)
    {
        if (++nodes > limits.MaxNodes)
        {
            throw DocumentLimitErrors.Nodes(path.ToString(), limits);
        }
    }

    private static string Text(ref Utf8JsonReader reader, DocumentLimits limits, DocumentPath path)
    {
        // Decoding is the check: GetString throws on a lone surrogate escape or bytes that are not UTF-8.
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new MalformedDocumentException(path.ToString(),
                "is not valid text: it holds a lone UTF-16 surrogate (such as \\ud800 without its pair) or bytes that are not UTF-8");
        }
        if (text.Length > limits.MaxStringLength)
        {
            throw DocumentLimitErrors.String(path.ToString(), text.Length, limits);
        }
        return text;
    }
}
