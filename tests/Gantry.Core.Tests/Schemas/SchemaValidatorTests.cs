using System.Text.Json.Nodes;
using Gantry.Core.Schemas;

namespace Gantry.Core.Tests.Schemas;

/// <summary>The keywords the operators' CRDs do not exercise, on small hand-written schemas.</summary>
public class SchemaValidatorTests
{
    private static SchemaNode Schema(string json) => SchemaNode.Parse(JsonNode.Parse(json));

    [Fact]
    public void Pattern_and_length_limits_are_checked_on_strings()
    {
        var schema = Schema("""{"type":"object","properties":{"name":{"type":"string","pattern":"^[a-z]+$","maxLength":3}}}""");

        var causes = SchemaValidator.Validate(schema, JsonNode.Parse("""{"name":"Abcd"}"""));

        Assert.Equal([CauseReasons.Invalid, CauseReasons.TooLong], causes.Select(c => c.Reason).Order(StringComparer.Ordinal));
        Assert.Contains(causes, c => c.Message == "Invalid value: \"Abcd\": name in body should match '^[a-z]+$'");
    }

    [Fact]
    public void Int_or_string_accepts_both_and_rejects_a_boolean()
    {
        var schema = Schema("""{"type":"object","properties":{"port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}}""");

        Assert.Empty(SchemaValidator.Validate(schema, JsonNode.Parse("""{"port":8080}""")));
        Assert.Empty(SchemaValidator.Validate(schema, JsonNode.Parse("""{"port":"http"}""")));
        Assert.Equal(CauseReasons.TypeInvalid, Assert.Single(SchemaValidator.Validate(schema, JsonNode.Parse("""{"port":true}"""))).Reason);
    }

    [Fact]
    public void Array_items_are_checked_with_their_index_and_item_counts_are_limited()
    {
        var schema = Schema("""{"type":"object","properties":{"xs":{"type":"array","maxItems":2,"items":{"type":"integer","minimum":0}}}}""");

        var causes = SchemaValidator.Validate(schema, JsonNode.Parse("""{"xs":[1,-1,2]}"""));

        Assert.Contains(causes, c => c.Field == "xs[1]" && c.Reason == CauseReasons.Invalid);
        Assert.Contains(causes, c => c.Field == "xs" && c.Reason == CauseReasons.TooMany);
    }

    [Fact]
    public void Exclusive_bounds_exclude_the_bound_itself()
    {
        var schema = Schema("""{"type":"number","minimum":1,"exclusiveMinimum":true,"maximum":2.5}""");

        Assert.Equal("Invalid value: 1: <root> in body should be greater than 1", Assert.Single(SchemaValidator.Validate(schema, JsonValue.Create(1))).Message);
        Assert.Empty(SchemaValidator.Validate(schema, JsonValue.Create(2.5)));
        Assert.Single(SchemaValidator.Validate(schema, JsonValue.Create(2.6)));
    }

    [Fact]
    public void Nullable_fields_keep_their_null()
    {
        var schema = Schema("""{"type":"object","properties":{"t":{"type":"string","nullable":true},"u":{"type":"string"}}}""");
        var obj = (JsonObject)JsonNode.Parse("""{"apiVersion":"v1","t":null,"u":null}""")!;

        var causes = CustomResourceAdmission.Admit(schema, obj);

        Assert.Empty(causes);
        Assert.True(obj.ContainsKey("t"));
        Assert.False(obj.ContainsKey("u"));
        Assert.True(obj.ContainsKey("apiVersion"));
    }

    [Fact]
    public void Embedded_resources_keep_their_type_meta_and_defaults_fill_only_absent_fields()
    {
        var schema = Schema("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "mode":{"type":"string","default":"cluster"},
              "tries":{"type":"integer","default":3},
              "inner":{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"x":{"type":"string"}}}}}}}
            """);
        var obj = (JsonObject)JsonNode.Parse("""{"spec":{"tries":5,"inner":{"kind":"Pod","metadata":{"name":"p"},"x":"y","z":1}}}""")!;

        Assert.Empty(CustomResourceAdmission.Admit(schema, obj));

        Assert.Equal("""{"spec":{"tries":5,"inner":{"kind":"Pod","metadata":{"name":"p"},"x":"y"},"mode":"cluster"}}""", obj.ToJsonString());
    }
}
