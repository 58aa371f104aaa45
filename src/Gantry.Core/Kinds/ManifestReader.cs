using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Validation;

namespace Gantry.Core.Kinds;

/// <summary>
/// Typed, path-aware reads of a JSON manifest. Every read that finds the wrong type adds an
/// error naming the full path, so kinds stay declarative and report every problem at once.
/// </summary>
public sealed class ManifestReader(ValidationErrors errors)
{
    public ValidationErrors Errors { get; } = errors;

    /// <summary>The object at <paramref name="name"/> under <paramref name="parent"/>, or null (with an error if <paramref name="required"/>).</summary>
    public JsonObject? Object(JsonObject? parent, string path, string name, bool required = false)
    {
        var node = Child(parent, path, name, required);
        if (node is null)
        {
            return null;
        }
        if (node is JsonObject obj)
        {
            return obj;
        }
        Errors.Add(Join(path, name), "must be an object");
        return null;
    }

    public JsonArray? Array(JsonObject? parent, string path, string name, bool required = false)
    {
        var node = Child(parent, path, name, required);
        if (node is null)
        {
            return null;
        }
        if (node is JsonArray array)
        {
            return array;
        }
        Errors.Add(Join(path, name), "must be an array");
        return null;
    }

    public string? String(JsonObject? parent, string path, string name, bool required = false)
    {
        var node = Child(parent, path, name, required);
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (required && string.IsNullOrWhiteSpace(text))
            {
                Errors.Add(Join(path, name), "must not be empty");
                return null;
            }
            return text;
        }
        Errors.Add(Join(path, name), "must be a string");
        return null;
    }

    /// <summary>A whole number; accepts a JSON number or a string holding one only when <paramref name="allowString"/>.</summary>
    public long? Integer(JsonObject? parent, string path, string name, bool required = false, long min = long.MinValue, bool allowString = false, long max = long.MaxValue)
    {
        var node = Child(parent, path, name, required);
        if (node is null)
        {
            return null;
        }
        long? number = null;
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                // Read the number's text: TryGetValue<long> fails on a node built from an int in code.
                case JsonValueKind.Number when long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l):
                    number = l;
                    break;
                case JsonValueKind.Number when double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    && d == Math.Floor(d) && Math.Abs(d) < 9e15:
                    number = (long)d;
                    break;
                case JsonValueKind.String when allowString
                    && long.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                    number = s;
                    break;
            }
        }
        if (number is null)
        {
            Errors.Add(Join(path, name), "must be a whole number");
            return null;
        }
        if (number < min)
        {
            Errors.Add(Join(path, name), $"must be at least {min}");
            return null;
        }
        if (number > max)
        {
            Errors.Add(Join(path, name), $"must be at most {max}");
            return null;
        }
        return number;
    }

    public bool? Boolean(JsonObject? parent, string path, string name)
    {
        var node = Child(parent, path, name, required: false);
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }
        Errors.Add(Join(path, name), "must be true or false");
        return null;
    }

    /// <summary>A scalar as text: strings as they are, numbers in invariant form (quantities may be either).</summary>
    public string? Scalar(JsonObject? parent, string path, string name, bool required = false)
    {
        var node = Child(parent, path, name, required);
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    return value.GetValue<string>();
                case JsonValueKind.Number:
                    return value.ToJsonString();
            }
        }
        Errors.Add(Join(path, name), "must be a string or a number");
        return null;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private JsonNode? Child(JsonObject? parent, string path, string name, bool required)
    {
        if (parent is null || !parent.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required)
            {
                Errors.Add(Join(path, name), "is required");
            }
            return null;
        }
        return node;
    }
}
