using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Api;

/// <summary>A failed API call, answered as a Kubernetes <c>Status</c> with this code, reason and details.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    /// <summary>Seconds a client should wait (429), sent as <c>Retry-After</c> and <c>details.retryAfterSeconds</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        var details = Details?.DeepClone() as JsonObject;
        if (RetryAfterSeconds is { } retry)
        {
            details ??= [];
            details["retryAfterSeconds"] = retry;
        }
        if (details is not null)
        {
            status["details"] = details;
        }
        status["code"] = Code;
        return status;
    }
}
