using Gantry.Testing;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>A gateway whose local backend runs SparkApplications with <see cref="FakeSparkSubmit"/>.</summary>
public class SparkUiFixture : IAsyncLifetime
{
    private readonly string _tools = Path.Combine(Path.GetTempPath(), "gantry-fake-spark-" + Guid.NewGuid().ToString("N")[..8]);

    public TestGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await TestGateway.StartAsync(Settings(new Dictionary<string, string?>
    {
        ["Gantry:Local:SparkSubmit"] = FakeSparkSubmit.Install(_tools),
        // Room for several Spark jobs (driver + executor each) whatever this machine has.
        ["Gantry:Local:Cpu"] = "16",
        ["Gantry:Local:Memory"] = "64Gi",
    }));

    /// <summary>The gateway's settings; a fixture for another UI origin adds its own.</summary>
    protected virtual Dictionary<string, string?> Settings(Dictionary<string, string?> settings) => settings;

    /// <summary>A file the fake driver of one job writes its requests to, in a directory like /tmp (any job uid may create files there).</summary>
    public string NewRequestLog()
    {
        var directory = Path.Combine(_tools, "requests");
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)0b1_111_111_111);
        }
        return Path.Combine(directory, "requests-" + Guid.NewGuid().ToString("N")[..8] + ".log");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(_tools, recursive: true);
    }
}
