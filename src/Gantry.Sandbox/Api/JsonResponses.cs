using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>Reads request bodies as JSON and writes JSON answers.</summary>
internal static class JsonResponses
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body), ct);
    }

    /// <summary>The request body as a JSON value; YAML is accepted for server-side apply (JSON is YAML too).</summary>
    public static async Task<JsonNode> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (MediaType(request) is var type && !type.StartsWith("application/", StringComparison.Ordinal) || type.Contains("protobuf", StringComparison.Ordinal) || type.Contains("cbor", StringComparison.Ordinal))
        {
            // Clients that prefer protobuf (kubectl for built-in types) fall back to JSON on 415, as with a CRD-only server.
            throw ApiErrors.UnsupportedMediaType(type);
        }
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiErrors.BadRequest("the request body is empty");
        }
        try
        {
            return JsonNode.Parse(text) ?? throw ApiErrors.BadRequest("the request body is null");
        }
        catch (JsonException) when (MediaType(request) == "application/apply-patch+yaml")
        {
            return Core.Manifests.YamlJson.Parse(text, Core.Manifests.DocumentLimits.Files) ?? throw ApiErrors.BadRequest("the request body is null");
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct) =>
        await ReadBodyAsync(request, ct) as JsonObject ?? throw ApiErrors.BadRequest("the request body must be a JSON object");

    /// <summary>The media type without parameters: clients send <c>application/json; charset=utf-8</c>.</summary>
    public static string MediaType(HttpRequest request) =>
        (request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();
}
