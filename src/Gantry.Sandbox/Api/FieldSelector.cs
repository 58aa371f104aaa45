using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Api;

/// <summary>
/// A <c>fieldSelector</c>: <c>metadata.name=x,status.phase!=Failed</c>. Any dotted path of the object
/// is accepted (a superset of what kube-apiserver allows per type), compared as text.
/// </summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string Path, bool Equal, string Value)> terms) => _terms = terms;

    public static FieldSelector Parse(string? text)
    {
        var terms = new List<(string, bool, string)>();
        foreach (var clause in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = clause.IndexOf("!=", StringComparison.Ordinal);
            var equal = clause.IndexOf('=', StringComparison.Ordinal);
            if (notEqual > 0)
            {
                terms.Add((clause[..notEqual], false, clause[(notEqual + 2)..]));
            }
            else if (equal > 0)
            {
                var value = clause[(equal + 1)..];
                terms.Add((clause[..equal], true, value.StartsWith('=') ? value[1..] : value));
            }
            else
            {
                throw ApiErrors.BadRequest($"invalid field selector: '{clause}': expected key=value or key!=value");
            }
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (Lookup(obj, t.Path) == t.Value) == t.Equal);

    private static string Lookup(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }
}
