using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gantry.Core.Manifests;

/// <summary>
/// Builds JSON from YAML parser events with an explicit stack (<see cref="YamlJson"/> says why).
/// One instance reads one stream: anchors and the node count carry over between its documents.
/// </summary>
internal sealed class YamlEventReader(DocumentLimits limits)
{
    /// <summary>An open mapping or sequence: where it goes, and what its anchor will need to know.</summary>
    private sealed class Frame(JsonNode container, string? anchor, int nodesBefore)
    {
        public JsonNode Container { get; } = container;
        public string? Anchor { get; } = anchor;
        public int NodesBefore { get; } = nodesBefore;
        public string? PendingKey { get; set; }

        /// <summary>The tallest child so far, in levels of containers (a scalar is 0).</summary>
        public int ChildHeight { get; set; }
    }

    /// <summary>A finished anchored node: a copy is inserted per alias, after checking what it adds.</summary>
    private sealed record Anchored(JsonNode? Node, int Nodes, int Height);

    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private readonly List<Frame> _stack = [];
    private int _nodes;

    public JsonNode? ReadDocument(IParser parser)
    {
        JsonNode? root = null;
        var done = false;
        while (!done)
        {
            var parsingEvent = parser.Consume<ParsingEvent>();
            switch (parsingEvent)
            {
                case MappingStart start:
                    Open(new JsonObject(), start.Anchor, start.Start, ref root);
                    break;
                case SequenceStart start:
                    Open(new JsonArray(), start.Anchor, start.Start, ref root);
                    break;
                case MappingEnd or SequenceEnd:
                    done = Close(parsingEvent.Start);
                    break;
                case Scalar scalar when ExpectsKey:
                    Key(scalar);
                    break;
                case Scalar scalar:
                    Count(1);
                    CheckText(scalar);
                    var value = YamlJson.ConvertScalar(scalar);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _open.Remove(scalar.Anchor.Value);
                        _anchors[scalar.Anchor.Value] = new Anchored(value, 1, 0);
                    }
                    done = Add(value, 0, ref root);
                    break;
                case AnchorAlias alias:
                    done = Add(Expand(alias), ref root);
                    break;
                default:
                    throw new FormatException($"Unsupported YAML at {parsingEvent.Start}.");
            }
        }
        return root;
    }

    /// <summary>The innermost open container is a mapping waiting for its next key.</summary>
    private bool ExpectsKey => _stack.Count > 0 && _stack[^1].Container is JsonObject && _stack[^1].PendingKey is null;

    private void Open(JsonNode container, AnchorName anchor, Mark at, ref JsonNode? root)
    {
        if (ExpectsKey)
        {
            throw new FormatException($"Only plain keys are supported (line {at.Line}).");
        }
        Count(1);
        if (_stack.Count + 1 > limits.MaxDepth)
        {
            throw DocumentLimitErrors.Depth("body", limits);
        }
        Attach(container, ref root);
        var name = anchor.IsEmpty ? null : anchor.Value;
        if (name is not null)
        {
            // Redefining an anchor is legal YAML; until this one closes, its name refers to an open node.
            _open.Add(name);
            _anchors.Remove(name);
        }
        _stack.Add(new Frame(container, name, _nodes - 1));
    }

    /// <summary>Puts a finished value where it belongs; true when it was the whole document.</summary>
    private bool Add(JsonNode? value, int height, ref JsonNode? root)
    {
        Attach(value, ref root);
        if (_stack.Count == 0)
        {
            return true;
        }
        _stack[^1].ChildHeight = Math.Max(_stack[^1].ChildHeight, height);
        return false;
    }

    private bool Add((JsonNode? Node, int Height) expanded, ref JsonNode? root) => Add(expanded.Node, expanded.Height, ref root);

    private void Attach(JsonNode? value, ref JsonNode? root)
    {
        if (_stack.Count == 0)
        {
            root = value;
            return;
        }
        var parent = _stack[^1];
        switch (parent.Container)
        {
            case JsonObject map:
                map[parent.PendingKey!] = value;
                parent.PendingKey = null;
                break;
            case JsonArray array:
                array.Add(value);
                break;
        }
    }

    private bool Close(Mark at)
    {
        var frame = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (frame.PendingKey is not null)
        {
            throw new FormatException($"A key has no value (line {at.Line}).");
        }
        var height = frame.ChildHeight + 1;
        if (frame.Anchor is { } anchor)
        {
            _open.Remove(anchor);
            _anchors[anchor] = new Anchored(frame.Container, _nodes - frame.NodesBefore, height);
        }
        if (_stack.Count == 0)
        {
            return true;
        }
        _stack[^1].ChildHeight = Math.Max(_stack[^1].ChildHeight, height);
        return false;
    }

    private void Key(Scalar scalar)
    {
        var frame = _stack[^1];
        var map = (JsonObject)frame.Container;
        CheckText(scalar);
        var name = scalar.Value ?? "";
        if (map.ContainsKey(name))
        {
            throw new FormatException($"Key '{name}' appears twice (line {scalar.Start.Line}).");
        }
        frame.PendingKey = name;
    }

    private (JsonNode? Node, int Height) Expand(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (ExpectsKey)
        {
            throw new FormatException($"Only plain keys are supported (line {alias.Start.Line}).");
        }
        if (_open.Contains(name))
        {
            throw new FormatException($"The alias *{name} refers to its own anchor (line {alias.Start.Line}): a recursive document is refused.");
        }
        if (!_anchors.TryGetValue(name, out var anchored))
        {
            throw new FormatException($"The alias *{name} has no anchor before it (line {alias.Start.Line}).");
        }
        Count(anchored.Nodes);
        if (_stack.Count + anchored.Height > limits.MaxDepth)
        {
            throw DocumentLimitErrors.Depth("body", limits);
        }
        // A copy per alias: JSON has no shared nodes. Its depth is bounded by MaxDepth just above.
        return (anchored.Node?.DeepClone(), anchored.Height);
    }

    /// <summary>A scalar must be real text (YAML's "\ud800" escape makes a lone surrogate) and within the string limit.</summary>
    private void CheckText(Scalar scalar)
    {
        var text = scalar.Value ?? "";
        if (text.Length > limits.MaxStringLength)
        {
            throw DocumentLimitErrors.String($"body (line {scalar.Start.Line})", text.Length, limits);
        }
        if (!Utf16Text.IsWellFormed(text))
        {
            throw new MalformedDocumentException("body",
                $"line {scalar.Start.Line} is not valid text: it holds a lone UTF-16 surrogate (such as \\ud800 without its pair)");
        }
    }

    private void Count(int nodes)
    {
        if (nodes > limits.MaxNodes - _nodes)
        {
            throw DocumentLimitErrors.Nodes("body", limits);
        }
        _nodes += nodes;
    }
}
