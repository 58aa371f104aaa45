using System.Text;
using Gantry.Core.Errors;

namespace Gantry.Core.Manifests;

/// <summary>
/// Where a streaming reader is in a document, as the API names fields:
/// <c>manifest.spec.containers[0].name</c> (after <c>prefix</c>; <c>whole</c> names the document
/// itself). Also refuses a key that an object already has.
/// </summary>
internal sealed class DocumentPath(string prefix, string whole)
{
    private sealed class Level(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Key { get; set; }
        public HashSet<string>? Keys { get; set; }
    }

    private readonly List<Level> _levels = [];

    /// <summary>How many objects and arrays are open.</summary>
    public int Depth => _levels.Count;

    public void Open(bool isArray) => _levels.Add(new Level(isArray));

    public void Close() => _levels.RemoveAt(_levels.Count - 1);

    /// <summary>A value starts at the current position: the next index of an open array.</summary>
    public void Value()
    {
        if (_levels.Count > 0 && _levels[^1].IsArray)
        {
            _levels[^1].Index++;
        }
    }

    public void Key(string key)
    {
        var level = _levels[^1];
        level.Key = key;
        level.Keys ??= new HashSet<string>(StringComparer.Ordinal);
        if (!level.Keys.Add(key))
        {
            throw new MalformedDocumentException(ToString(), $"the key '{key}' appears twice in the same object");
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder(prefix);
        foreach (var level in _levels)
        {
            if (level.IsArray)
            {
                if (level.Index >= 0)
                {
                    text.Append('[').Append(level.Index).Append(']');
                }
            }
            else if (level.Key is not null)
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }
                text.Append(level.Key);
            }
        }
        return text.Length == 0 ? whole : text.ToString();
    }
}
