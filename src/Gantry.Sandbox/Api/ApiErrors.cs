using System.Text.Json.Nodes;
using Gantry.Core.Schemas;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>The API server's error answers, worded as kube-apiserver words them.</summary>
internal static class ApiErrors
{
    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details(type, name));

    public static ApiException NotFound(string groupResource, string group, string name) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found", Details(group, groupResource.Split('.')[0], name));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type, name));

    public static ApiException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(type, name));

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<SchemaCause> causes)
    {
        var details = Details(type, name);
        details["kind"] = type.Kind;
        details["causes"] = new JsonArray([.. causes.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = c.Reason,
            ["message"] = c.Message,
            ["field"] = c.Field,
        })]);
        return new ApiException(422, "Invalid", CustomResourceAdmission.InvalidMessage(type.Kind, type.Group, name, causes), details);
    }

    public static ApiException Invalid(ResourceType type, string name, string field, string reason, string message) =>
        Invalid(type, name, [new SchemaCause(reason, field, message)]);

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message = "the server does not allow this method on the requested resource") =>
        new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string mediaType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, application/apply-patch+yaml (got {mediaType})");

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException PathNotFound() => new(404, "NotFound", "the server could not find the requested resource");

    private static JsonObject Details(ResourceType type, string name) => Details(type.Group, type.Plural, name);

    private static JsonObject Details(string group, string plural, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }
        details["kind"] = plural;
        return details;
    }
}
