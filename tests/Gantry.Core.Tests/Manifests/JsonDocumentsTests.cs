using System.Text;
using Gantry.Core.Errors;
using Gantry.Core.Manifests;

namespace Gantry.Core.Tests.Manifests;

public sealed class JsonDocumentsTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_lone_surrogate_is_refused_naming_the_field()
    {
        var body = Utf8("""{"manifest": {"spec": {"containers": [{"image": "x"}, {"name": "\ud800"}]}}}""");

        var error = Assert.Throws<MalformedDocumentException>(() => JsonDocuments.Parse(body, DocumentLimits.Default));

        Assert.Equal("manifest.spec.containers[1].name", error.Field);
    }

    [Fact]
    public void A_lone_surrogate_in_a_key_is_refused()
    {
        Assert.Throws<MalformedDocumentException>(() => JsonDocuments.Parse(Utf8("""{"\udc00": 1}"""), DocumentLimits.Default));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_in_a_string_are_refused()
    {
        var body = new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' };

        Assert.Throws<MalformedDocumentException>(() => JsonDocuments.Parse(body, DocumentLimits.Default));
    }

    [Fact]
    public void Nesting_past_the_limit_names_it()
    {
        var body = Utf8("{\"a\":" + new string('[', 100) + new string(']', 100) + "}");

        var error = Assert.Throws<LimitExceededException>(() => JsonDocuments.Parse(body, new DocumentLimits(MaxDepth: 64)));

        Assert.Equal(DocumentLimits.DepthSetting, error.Setting);
        Assert.StartsWith("a", error.Field);
    }

    [Fact]
    public void Too_many_values_name_the_node_limit()
    {
        var body = Utf8("[" + string.Join(",", Enumerable.Repeat("1", 2000)) + "]");

        var error = Assert.Throws<LimitExceededException>(() => JsonDocuments.Parse(body, new DocumentLimits(MaxNodes: 1000)));

        Assert.Equal(DocumentLimits.NodesSetting, error.Setting);
    }

    [Fact]
    public void A_repeated_key_is_refused_naming_it()
    {
        var error = Assert.Throws<MalformedDocumentException>(() => JsonDocuments.Parse(Utf8("""{"queue": "a", "queue": "b"}"""), DocumentLimits.Default));

        Assert.Equal("queue", error.Field);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"a\": NaN}")]
    [InlineData("[1,]")]
    [InlineData("\"\\u12\"")]
    public void Syntax_errors_are_malformed_documents(string text)
    {
        Assert.Throws<MalformedDocumentException>(() => JsonDocuments.Parse(Utf8(text), DocumentLimits.Default));
    }

    [Fact]
    public void A_valid_document_parses()
    {
        var node = JsonDocuments.Parse(Utf8("""{"a": [1, "😀", {"b": null}]}"""), DocumentLimits.Default)!;

        Assert.Equal("😀", node["a"]![1]!.GetValue<string>());
    }
}
