using System.Text.Json;

namespace Gantry.Backends.Local;

/// <summary>
/// A replica job's backend state as the store keeps it: the replicas' pids, the rendezvous port
/// and the job's directory, so a restarted gateway re-attaches to the same processes and port.
/// </summary>
internal static class ReplicaRunState
{
    public static string ToJson(LocalJobRun run) =>
        JsonSerializer.Serialize(new { pids = run.Pids, port = run.Port, directory = run.Directory.Root });

    /// <summary>The port a job was dispatched with, from its backend state; null for a job started before ports were saved.</summary>
    public static int? SavedPort(string? backendState)
    {
        if (backendState is null)
        {
            return null;
        }
        try
        {
            using var state = JsonDocument.Parse(backendState);
            return state.RootElement.TryGetProperty("port", out var port) && port.TryGetInt32(out var value) && value > 0 ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
