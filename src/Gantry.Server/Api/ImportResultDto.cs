using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Gantry.Server.Api;

/// <summary>The clusters an import registered, and the problems of each context that was not, by field.</summary>
public sealed record ImportResultDto(IReadOnlyList<ClusterDto> Imported, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>The JSON form of an import (for the OpenAPI document); the body is read by <see cref="ImportRequestReader"/>.</summary>
public sealed record ImportClusterRequest(string Kubeconfig, IReadOnlyList<string>? Contexts, IReadOnlyDictionary<string, string>? Rename, IReadOnlyDictionary<string, string>? Labels)
{
    /// <summary>
    /// Documents both bodies. Declaring them with Accepts() instead would make routing answer 415
    /// by itself for any other content type, without naming the field.
    /// </summary>
    internal static async Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(ImportClusterRequest), null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A JSON envelope {kubeconfig, contexts, rename, labels}, or the bare kubeconfig (YAML or JSON) with ?context=NAME (repeatable; all contexts when absent).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = schema },
                ["application/yaml"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
    }
}
