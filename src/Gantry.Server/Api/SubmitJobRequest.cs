using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gantry.Server.Api;

/// <summary>The submission envelope, for the OpenAPI document; the body is read by <see cref="Manifests.SubmissionReader"/>.</summary>
public sealed record SubmitJobRequest(
    JsonObject Manifest,
    string? Queue = "default",
    int? Priority = 0,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? Name = null,
    int? MaxAttempts = 1)
{
    /// <summary>Adds the request body (JSON envelope or raw YAML manifest) to the submit operation.</summary>
    internal static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(SubmitJobRequest), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A JSON envelope {manifest, queue, priority, labels, name, maxAttempts}, or a raw manifest as YAML with queue and priority in the annotations gantry.io/queue and gantry.io/priority.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema },
                ["application/yaml"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
    }
}
