using System.Globalization;
using Gantry.Core.Resources;

namespace Gantry.Core.Tests.Resources;

public class JavaMemoryTests
{
    [Theory]
    [InlineData("512m", null, "512")]
    [InlineData("512M", null, "512")]
    [InlineData("512mb", null, "512")]
    [InlineData("1536MB", null, "1536")]
    [InlineData("4g", null, "4096")]
    [InlineData("2GB", null, "2048")]
    [InlineData("1.5g", null, "1536")]
    [InlineData("1024k", null, "1")]
    [InlineData("1024KB", null, "1")]
    [InlineData("1000k", null, "0.9765625")]
    [InlineData("1048576b", null, "1")]
    [InlineData("1t", null, "1048576")]
    [InlineData("1tb", null, "1048576")]
    [InlineData("1p", null, "1073741824")]
    [InlineData(" 2g ", null, "2048")]
    [InlineData("512", "m", "512")]
    [InlineData("0", "m", "0")]
    [InlineData("1048576", "b", "1")]
    [InlineData("2g", "b", "2048")]
    public void Java_memory_strings_are_binary_units_read_in_MiB(string text, string? bareNumberUnit, string expectedMiB)
    {
        Assert.True(JavaMemory.TryParseMiB(text, bareNumberUnit, out var mib, out var problem), problem);
        Assert.Equal(decimal.Parse(expectedMiB, CultureInfo.InvariantCulture), mib);
    }

    [Theory]
    [InlineData("512", null, "'512' needs a unit (examples: 512m, 4g, 1.5g)")]
    [InlineData("-1g", null, "'-1g' is negative; a memory size must be zero or more")]
    [InlineData("-512", "m", "'-512' is negative; a memory size must be zero or more")]
    [InlineData("4GiB", null, "'4GiB' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("4Gi", null, "'4Gi' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("g", null, "'g' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("", "m", "'' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("1.g", null, "'1.g' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData(".5g", null, "'.5g' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("1 g", null, "'1 g' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("1e3m", null, "'1e3m' is not a Java-style memory size (examples: 512m, 4g, 1.5g)")]
    [InlineData("99999999999999999999999999999999p", null, "'99999999999999999999999999999999p' is too large for a memory size")]
    public void Malformed_java_memory_strings_are_rejected_with_a_reason(string text, string? bareNumberUnit, string expected)
    {
        Assert.False(JavaMemory.TryParseMiB(text, bareNumberUnit, out var mib, out var problem));
        Assert.Equal(expected, problem);
        Assert.Equal(0m, mib);
    }
}
