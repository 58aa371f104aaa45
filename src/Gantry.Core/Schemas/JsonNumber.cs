using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>
/// Reads a JSON number whatever backs the <see cref="JsonValue"/> (parsed text, a long, a double),
/// since <c>TryGetValue&lt;decimal&gt;</c> only succeeds when the stored CLR type matches.
/// </summary>
internal static class JsonNumber
{
    public static bool TryGet(JsonNode? node, out decimal number)
    {
        number = 0;
        return node is JsonValue value
            && value.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public static bool TryGetLong(JsonNode? node, out long number)
    {
        number = 0;
        if (!TryGet(node, out var value) || value != decimal.Truncate(value) || value < long.MinValue || value > long.MaxValue)
        {
            return false;
        }
        number = (long)value;
        return true;
    }
}
