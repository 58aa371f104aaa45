using System.Globalization;
using Gantry.Core.Resources;

namespace Gantry.Core.Tests.Resources;

public class QuantityTests
{
    [Theory]
    [InlineData("500m", "0.5")]
    [InlineData("1.5", "1.5")]
    [InlineData("2", "2")]
    [InlineData("0", "0")]
    [InlineData(".5", "0.5")]
    [InlineData("+3", "3")]
    [InlineData("4Gi", "4294967296")]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData("512Mi", "536870912")]
    [InlineData("100Ki", "102400")]
    [InlineData("1Ti", "1099511627776")]
    [InlineData("1Ei", "1152921504606846976")]
    [InlineData("1k", "1000")]
    [InlineData("1M", "1000000")]
    [InlineData("1G", "1000000000")]
    [InlineData("1E", "1000000000000000000")]
    [InlineData("100n", "0.0000001")]
    [InlineData("5u", "0.000005")]
    [InlineData("1e3", "1000")]
    [InlineData("1E3", "1000")]
    [InlineData("2e-3", "0.002")]
    [InlineData("1.5e+2", "150")]
    public void Valid_quantities_parse_to_their_exact_value(string text, string expected)
    {
        Assert.True(Quantity.TryParse(text, out var value, out var problem), problem);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("", "a quantity must not be empty (examples: 500m, 2, 4Gi)")]
    [InlineData("-1", "'-1' is negative; a quantity must be zero or more")]
    [InlineData("-500m", "'-500m' is negative; a quantity must be zero or more")]
    [InlineData("4GB", "'4GB' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("4gi", "'4gi' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1K", "'1K' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("abc", "'abc' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("Gi", "'Gi' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1.2.3", "'1.2.3' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1 Gi", "'1 Gi' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData(" 1", "' 1' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1e", "'1e' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1e+", "'1e+' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1e3m", "'1e3m' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("+-1", "'+-1' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)")]
    [InlineData("1e30", "'1e30' is too large for a quantity")]
    [InlineData("99999999999999999999999999999999", "'99999999999999999999999999999999' is too large for a quantity")]
    public void Invalid_quantities_are_rejected_with_a_message_saying_why(string text, string expected)
    {
        Assert.False(Quantity.TryParse(text, out var value, out var problem));
        Assert.Equal(expected, problem);
        Assert.Equal(0m, value);
    }

    [Theory]
    [InlineData("500m", 500)]
    [InlineData("250m", 250)]
    [InlineData("1.5", 1500)]
    [InlineData("2", 2000)]
    [InlineData("0", 0)]
    [InlineData("0.0001", 1)]
    [InlineData("1n", 1)]
    [InlineData("1001u", 2)]
    [InlineData("1e-3", 1)]
    [InlineData("1k", 1_000_000)]
    public void Cpu_is_read_in_millicores_rounding_a_fraction_of_a_millicore_up(string text, long expected)
    {
        Assert.True(Quantity.TryParseCpuMillis(text, out var millis, out var problem), problem);
        Assert.Equal(expected, millis);
    }

    [Theory]
    [InlineData("4Gi", 4294967296)]
    [InlineData("512Mi", 536870912)]
    [InlineData("1.5Gi", 1610612736)]
    [InlineData("100Ki", 102400)]
    [InlineData("1e3", 1000)]
    [InlineData("1M", 1000000)]
    [InlineData("129M", 129000000)]
    [InlineData("0.5", 1)]
    [InlineData("1500m", 2)]
    [InlineData("7Ei", 8070450532247928832)]
    public void Memory_is_read_in_bytes_rounding_a_fraction_of_a_byte_up(string text, long expected)
    {
        Assert.True(Quantity.TryParseBytes(text, out var bytes, out var problem), problem);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("8Ei")]
    [InlineData("1e19")]
    public void Memory_beyond_a_long_of_bytes_is_too_large(string text)
    {
        Assert.False(Quantity.TryParseBytes(text, out _, out var problem));
        Assert.Equal($"'{text}' is too large for a quantity", problem);
    }

    [Fact]
    public void Cpu_beyond_a_long_of_millicores_is_too_large()
    {
        Assert.False(Quantity.TryParseCpuMillis("1e17", out _, out var problem));
        Assert.Equal("'1e17' is too large for a quantity", problem);
    }

    [Fact]
    public void Cpu_and_bytes_parsers_pass_on_the_general_problem_text()
    {
        Assert.False(Quantity.TryParseCpuMillis("-1", out _, out var cpuProblem));
        Assert.False(Quantity.TryParseBytes("4GB", out _, out var bytesProblem));
        Assert.Equal("'-1' is negative; a quantity must be zero or more", cpuProblem);
        Assert.Equal("'4GB' is not a Kubernetes quantity (examples: 500m, 2, 4Gi)", bytesProblem);
    }

    [Theory]
    [InlineData(500, "500m")]
    [InlineData(2000, "2")]
    [InlineData(2500, "2500m")]
    [InlineData(0, "0")]
    [InlineData(1, "1m")]
    public void Cpu_formats_as_whole_cores_when_exact_else_millicores(long millis, string expected)
    {
        Assert.Equal(expected, Quantity.FormatCpu(millis));
    }

    [Theory]
    [InlineData(4294967296, "4Gi")]
    [InlineData(536870912, "512Mi")]
    [InlineData(1610612736, "1536Mi")]
    [InlineData(102400, "100Ki")]
    [InlineData(1099511627776, "1Ti")]
    [InlineData(1000, "1000")]
    [InlineData(1000000000, "1000000000")]
    [InlineData(0, "0")]
    public void Bytes_format_with_the_largest_exact_binary_suffix(long bytes, string expected)
    {
        Assert.Equal(expected, Quantity.FormatBytes(bytes));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(1023L)]
    [InlineData(3L * 1024 * 1024 * 1024)]
    [InlineData(12345678901L)]
    [InlineData(long.MaxValue)]
    public void Formatted_bytes_parse_back_to_the_same_amount(long bytes)
    {
        Assert.True(Quantity.TryParseBytes(Quantity.FormatBytes(bytes), out var parsed, out var problem), problem);
        Assert.Equal(bytes, parsed);
    }
}
