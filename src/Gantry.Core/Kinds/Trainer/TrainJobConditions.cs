using System.Text.Json;
using Gantry.Core.Jobs;

namespace Gantry.Core.Kinds.Trainer;

/// <summary>
/// A TrainJob's status in Gantry's states (trainer reference §1, Status): Failed or Complete
/// conditions with their reason and message; no condition and an active trainer job (from
/// <c>jobsStatus</c>) is Running; Suspended is shown as such while the job is held.
/// </summary>
public static class TrainJobConditions
{
    public static (JobState State, string Message, string Phase) Map(JsonElement status, string trainerJob = "node")
    {
        var conditions = new Dictionary<string, (string Reason, string Message)>(StringComparer.Ordinal);
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in list.EnumerateArray())
            {
                if (Text(condition, "type") is { } type && Text(condition, "status") == "True")
                {
                    conditions[type] = (Text(condition, "reason") ?? "", Text(condition, "message") ?? "");
                }
            }
        }
        if (conditions.TryGetValue("Failed", out var failed))
        {
            return (JobState.Failed, Words(failed, "TrainJob failed"), "Failed");
        }
        if (conditions.TryGetValue("Complete", out var complete))
        {
            return (JobState.Succeeded, Words(complete, "TrainJob completed"), "Complete");
        }
        if (conditions.TryGetValue("Suspended", out var suspended))
        {
            return (JobState.Submitted, $"Suspended: {Words(suspended, "TrainJob is suspended")} (held until something, such as Kueue, resumes it)", "Suspended");
        }
        var active = 0;
        if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("jobsStatus", out var jobs) && jobs.ValueKind == JsonValueKind.Array)
        {
            foreach (var job in jobs.EnumerateArray())
            {
                if ((Text(job, "name") == trainerJob || trainerJob.Length == 0) && job.TryGetProperty("active", out var a) && a.TryGetInt32(out var n))
                {
                    active += n;
                }
            }
        }
        return active > 0
            ? (JobState.Running, $"running: replicated job {trainerJob} is active", "Running")
            : (JobState.Submitted, "created; waiting for the Trainer controller and JobSet to start the trainer pods", "");
    }

    private static string Words((string Reason, string Message) condition, string fallback) =>
        (condition.Reason, condition.Message) switch
        {
            ({ Length: > 0 } reason, { Length: > 0 } message) => $"{reason}: {message}",
            (_, { Length: > 0 } message) => message,
            ({ Length: > 0 } reason, _) => reason,
            _ => fallback,
        };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
