using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Manifests;

namespace Gantry.Core.Tests.Manifests;

public sealed class YamlJsonTests
{
    [Fact]
    public void A_recursive_alias_is_refused_not_followed()
    {
        var error = Assert.Throws<FormatException>(() => YamlJson.Parse("kind: SparkApplication\nspec: &a [*a, *a]\n"));

        Assert.Contains("*a refers to its own anchor", error.Message);
    }

    [Fact]
    public void An_alias_inside_a_mapping_of_its_own_anchor_is_refused()
    {
        Assert.Throws<FormatException>(() => YamlJson.Parse("a: &x\n  b: *x\n"));
    }

    [Fact]
    public void Billion_laughs_stops_at_the_node_limit_naming_it()
    {
        var yaml = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append($"l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        var error = Assert.Throws<LimitExceededException>(() => YamlJson.Parse(yaml.ToString(), DocumentLimits.Default));

        Assert.Equal(DocumentLimits.NodesSetting, error.Setting);
        Assert.Equal(100_000, error.Limit);
        Assert.True(error.TooLarge);
    }

    [Fact]
    public void Deep_nesting_stops_at_the_depth_limit_without_recursion()
    {
        // 200,000 levels would overflow any recursive reader's stack; this one counts and stops.
        var yaml = new string('[', 200_000) + new string(']', 200_000);

        var error = Assert.Throws<LimitExceededException>(() => YamlJson.Parse(yaml, new DocumentLimits(MaxDepth: 64)));

        Assert.Equal(DocumentLimits.DepthSetting, error.Setting);
        Assert.False(error.TooLarge);
    }

    [Fact]
    public void An_alias_that_would_nest_past_the_limit_is_refused()
    {
        var inner = new string('[', 30) + new string(']', 30);
        var yaml = $"a: &a {inner}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n";

        Assert.Throws<LimitExceededException>(() => YamlJson.Parse(yaml, new DocumentLimits(MaxDepth: 64)));
    }

    [Fact]
    public void Aliases_within_the_limits_expand_to_copies()
    {
        var node = YamlJson.Parse("base: &b {cpu: 1, labels: [a, b]}\nfirst: *b\nsecond: *b\n")!;

        Assert.Equal(node["base"]!.ToJsonString(), node["first"]!.ToJsonString());
        node["first"]!["cpu"] = 2;
        Assert.Equal(1, node["second"]!["cpu"]!.GetValue<long>());
    }

    [Fact]
    public void A_lone_surrogate_escape_is_refused()
    {
        // YamlDotNet's scanner refuses the escape itself; the reader's own check is the backstop.
        var error = Record.Exception(() => YamlJson.Parse("name: \"\\ud800\"\n"));

        Assert.True(error is YamlDotNet.Core.YamlException or MalformedDocumentException, error?.GetType().Name);
    }

    [Fact]
    public void Several_documents_are_counted_in_the_refusal()
    {
        var error = Assert.Throws<FormatException>(() => YamlJson.Parse("a: 1\n---\nb: 2\n---\nc: 3\n"));

        Assert.Equal("Send one manifest per request; this YAML holds 3 documents.", error.Message);
    }

    [Theory]
    [InlineData("a: 1", "{\"a\":1}")]
    [InlineData("a: '1'", "{\"a\":\"1\"}")]
    [InlineData("a: [true, null, 1.5, x]", "{\"a\":[true,null,1.5,\"x\"]}")]
    [InlineData("a: !!str 12", "{\"a\":\"12\"}")]
    [InlineData("a: 1e999", "{\"a\":\"1e999\"}")]
    [InlineData("- {a: {b: [1]}}", "[{\"a\":{\"b\":[1]}}]")]
    public void Scalars_keep_the_core_schema_typing(string yaml, string json)
    {
        Assert.Equal(json, YamlJson.Parse(yaml)!.ToJsonString());
    }

    [Fact]
    public void A_repeated_key_is_refused()
    {
        Assert.Throws<FormatException>(() => YamlJson.Parse("a: 1\na: 2\n"));
    }

    [Fact]
    public void A_long_string_is_refused_naming_the_limit()
    {
        var error = Assert.Throws<LimitExceededException>(() => YamlJson.Parse("a: " + new string('x', 2000), new DocumentLimits(MaxStringLength: 1024)));

        Assert.Equal(DocumentLimits.StringSetting, error.Setting);
    }
}
