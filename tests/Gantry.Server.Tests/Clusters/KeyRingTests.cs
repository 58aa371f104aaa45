using System.Net.Http.Json;
using Gantry.Server.Clusters;
using Gantry.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Clusters;

/// <summary>The Data Protection key ring lives in the store: a restart, and a second replica on the same database, decrypt what the first encrypted.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public async Task A_second_gateway_on_the_same_store_and_a_restarted_one_read_the_connection()
    {
        await using var first = await TestGateway.StartAsync();
        using (var admin = first.Client())
        {
            (await admin.PostAsJsonAsync("api/v1/clusters", new { name = "shared", server = "https://10.0.0.1:6443", token = "replica-secret" })).EnsureSuccessStatusCode();
        }
        var database = Path.Combine(first.DataDir, "gantry.db");
        // The admin exists already in the shared store, so the second replica writes no token file of its own.
        var secondDir = Path.Combine(Path.GetTempPath(), "gantry-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(secondDir);
        File.Copy(Path.Combine(first.DataDir, "admin.token"), Path.Combine(secondDir, "admin.token"));
        // Replicas share the key ring's key as they share the store (docs/security.md): a Secret in Kubernetes.
        File.Copy(Path.Combine(first.DataDir, KeyRingKey.DefaultFileName), Path.Combine(secondDir, KeyRingKey.DefaultFileName));
        await using var second = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gantry:Storage:ConnectionString"] = database }, secondDir);

        var read = await second.Services.GetRequiredService<IClusterConnections>().GetAsync("shared", CancellationToken.None);
        await first.RestartAsync();
        var afterRestart = await first.Services.GetRequiredService<IClusterConnections>().GetAsync("shared", CancellationToken.None);

        Assert.Equal("replica-secret", read.Token);
        Assert.Equal("replica-secret", afterRestart.Token);
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM data_protection_keys";
        Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
    }
}
