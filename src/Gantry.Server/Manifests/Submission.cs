using System.Text.Json.Nodes;

namespace Gantry.Server.Manifests;

/// <summary>A submission as read from the request, before the kind has validated its manifest (null when the body had none).</summary>
public sealed record Submission(
    JsonObject? Manifest,
    string Queue,
    int Priority,
    IReadOnlyDictionary<string, string> Labels,
    string? Name,
    int MaxAttempts);
