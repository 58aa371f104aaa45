using System.Text.Json.Nodes;

namespace Gantry.Server.Api;

/// <summary>The submission envelope, for the OpenAPI document; the body is read by <see cref="Manifests.SubmissionReader"/>.</summary>
public sealed record SubmitJobRequest(
    JsonObject Manifest,
    string? Queue = "default",
    int? Priority = 0,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? Name = null,
    int? MaxAttempts = 1);
