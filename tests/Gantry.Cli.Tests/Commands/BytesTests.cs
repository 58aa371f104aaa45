using Gantry.Cli.Commands;

namespace Gantry.Cli.Tests.Commands;

public sealed class BytesTests
{
    [Theory]
    [InlineData(24683548L * 1024, "23.5 GiB")]
    [InlineData(512, "512 B")]
    [InlineData(64L * 1024 * 1024, "64.0 MiB")]
    [InlineData(300L * 1024 * 1024 * 1024, "300 GiB")]
    public void Memory_reads_in_binary_units(long bytes, string expected) => Assert.Equal(expected, Bytes.Format(bytes));
}
