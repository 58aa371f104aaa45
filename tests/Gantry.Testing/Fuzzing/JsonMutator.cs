using System.Text;
using System.Text.Json.Nodes;

namespace Gantry.Testing.Fuzzing;

/// <summary>
/// Mutates a valid JSON body: a few structural changes at random places (wrong types, hostile
/// values, deleted and unknown fields, deep nesting), then sometimes a byte-level one (cut,
/// flipped, garbage). Deterministic for a given <see cref="Random"/>.
/// </summary>
public sealed class JsonMutator(Random random)
{
    private const string Marker = "\u0001FUZZ";

    public byte[] Mutate(JsonNode seed)
    {
        var document = seed.DeepClone();
        var raws = new List<string>();
        var changes = 1 + random.Next(3);
        for (var i = 0; i < changes; i++)
        {
            MutateOnce(document, raws);
        }
        var text = document.ToJsonString();
        foreach (var raw in raws)
        {
            var at = text.IndexOf($"\"{Marker}\"", StringComparison.Ordinal);
            if (at >= 0)
            {
                text = string.Concat(text.AsSpan(0, at), raw, text.AsSpan(at + Marker.Length + 2));
            }
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Next(7) == 0 ? Bytes.Mangle(random, bytes) : bytes;
    }

    private void MutateOnce(JsonNode document, List<string> raws)
    {
        var places = Places(document);
        if (places.Count == 0)
        {
            return;
        }
        var (parent, key, index) = places[random.Next(places.Count)];
        string raw;
        switch (random.Next(10))
        {
            case 0 when parent is JsonObject obj && key is not null:
                obj.Remove(key);
                return;
            case 1 when parent is JsonObject obj:
                obj[$"unknown{random.Next(100)}"] = random.Next(2) == 0 ? "x" : 1;
                return;
            case 2:
                raw = FuzzValues.Long(random);
                break;
            case 3:
                raw = FuzzValues.Deep(random);
                break;
            case 4:
                raw = FuzzValues.Wide(random);
                break;
            default:
                raw = FuzzValues.RawJson[random.Next(FuzzValues.RawJson.Length)];
                break;
        }
        raws.Add(raw);
        if (parent is JsonObject o)
        {
            o[key!] = Marker;
        }
        else if (parent is JsonArray a)
        {
            a[index] = Marker;
        }
    }

    /// <summary>Every place a value sits (object member or array item), seeds being small.</summary>
    private static List<(JsonNode Parent, string? Key, int Index)> Places(JsonNode root)
    {
        var places = new List<(JsonNode, string?, int)>();
        var pending = new Stack<JsonNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        places.Add((obj, key, -1));
                        if (value is not null)
                        {
                            pending.Push(value);
                        }
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        places.Add((array, null, i));
                        if (array[i] is { } item)
                        {
                            pending.Push(item);
                        }
                    }
                    break;
            }
        }
        return places;
    }
}
