using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>
/// Server-side printing for <c>kubectl get</c> (<c>Accept: ...;as=Table;g=meta.k8s.io</c>): a CRD's
/// printer columns, the usual pod and node columns, Name and Age for the rest.
/// </summary>
internal sealed class TableWriter(ClusterState state)
{
    public static bool Wants(HttpRequest request) => request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public Task WriteAsync(HttpContext context, int status, JsonObject body, ResourceType type, CancellationToken ct)
    {
        var items = body["items"] is JsonArray array ? array.OfType<JsonObject>().ToList() : [body];
        var columns = Columns(type);
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = body["metadata"]?["resourceVersion"]?.DeepClone() },
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = "",
                ["priority"] = 0,
            })]),
            ["rows"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
            {
                ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(i))]),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = i["metadata"]?.DeepClone(),
                },
            })]),
        };
        return JsonResponses.WriteAsync(context, status, table, ct);
    }

    private List<Column> Columns(ResourceType type)
    {
        var columns = new List<Column> { new("Name", "string", o => o.Name()) };
        if (type.IsCustom)
        {
            foreach (var column in type.PrinterColumns.OfType<JsonObject>())
            {
                var path = ObjectMeta.Text(column["jsonPath"]) ?? "";
                var kind = ObjectMeta.Text(column["type"]) ?? "string";
                columns.Add(new(ObjectMeta.Text(column["name"]) ?? path, kind == "date" ? "string" : kind,
                    o => kind == "date" ? Age(JsonPaths.Select(o, path)) : JsonPaths.Select(o, path)?.DeepClone() ?? ""));
            }
            if (columns.Count == 1)
            {
                columns.Add(AgeColumn());
            }
            return columns;
        }
        if (type == BuiltInTypes.Pods)
        {
            columns.Add(new("Ready", "string", o => $"{Ready(o)}/1"));
            columns.Add(new("Status", "string", o => ObjectMeta.Text(o["status"]?["phase"]) ?? "Pending"));
            columns.Add(new("Restarts", "integer", _ => 0));
            columns.Add(new("Node", "string", o => ObjectMeta.Text(o["spec"]?["nodeName"]) ?? "<none>"));
        }
        else if (type == BuiltInTypes.Nodes)
        {
            columns.Add(new("Status", "string", _ => "Ready"));
            columns.Add(new("Roles", "string", _ => "<none>"));
        }
        columns.Add(AgeColumn());
        return columns;
    }

    private static int Ready(JsonObject pod) => ObjectMeta.Text(pod["status"]?["phase"]) == "Running" ? 1 : 0;

    private Column AgeColumn() => new("Age", "string", o => Age(o["metadata"]?["creationTimestamp"]));

    private JsonNode Age(JsonNode? timestamp)
    {
        if (!DateTimeOffset.TryParse(ObjectMeta.Text(timestamp), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }
        var age = state.Time.GetUtcNow() - created;
        return age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    private sealed record Column(string Name, string Type, Func<JsonObject, JsonNode?> Cell);
}
