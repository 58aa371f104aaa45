using System.Globalization;
using System.Text.Json.Nodes;

namespace Gantry.Core.Schemas;

/// <summary>The scalar keywords of a schema: minimum/maximum, minLength/maxLength and pattern.</summary>
internal static class ValueRules
{
    public static void Check(SchemaNode schema, JsonValue value, string path, List<SchemaCause> causes)
    {
        if (JsonNumber.TryGet(value, out var number))
        {
            CheckNumber(schema, value, number, path, causes);
        }
        else if (value.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            CheckString(schema, value, value.GetValue<string>(), path, causes);
        }
    }

    private static void CheckNumber(SchemaNode schema, JsonValue value, decimal number, string path, List<SchemaCause> causes)
    {
        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number <= min : number < min))
        {
            var rule = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            causes.Add(SchemaValidator.Invalid(path, value, $"should be {rule} {Format(min)}"));
        }
        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number >= max : number > max))
        {
            var rule = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            causes.Add(SchemaValidator.Invalid(path, value, $"should be {rule} {Format(max)}"));
        }
    }

    private static void CheckString(SchemaNode schema, JsonValue value, string text, string path, List<SchemaCause> causes)
    {
        if (schema.MaxLength is { } max && text.Length > max)
        {
            causes.Add(new SchemaCause(CauseReasons.TooLong, SchemaValidator.Display(path), $"Too long: may not be more than {max} bytes"));
        }
        if (schema.MinLength is { } min && text.Length < min)
        {
            causes.Add(SchemaValidator.Invalid(path, value, $"should be at least {min} chars long"));
        }
        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            causes.Add(SchemaValidator.Invalid(path, value, $"should match '{schema.PatternText}'"));
        }
    }

    private static string Format(decimal number) => number.ToString(CultureInfo.InvariantCulture);
}
