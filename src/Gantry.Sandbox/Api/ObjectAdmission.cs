using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Schemas;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Api;

/// <summary>What the API server checks and fills in on a body before it is stored.</summary>
internal static partial class ObjectAdmission
{
    private static readonly string[] ServerFields = ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "deletionTimestamp"];

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    /// <summary>Readies a body for create: type meta, namespace, name, no server-owned fields, no status where a subresource owns it.</summary>
    public static JsonObject ForCreate(ResourceType type, string? ns, JsonObject body)
    {
        CheckTypeMeta(type, body);
        var metadata = body.Metadata();
        SetNamespace(type, ns, metadata);
        if (string.IsNullOrEmpty(body.Name()) && ObjectMeta.Text(metadata["generateName"]) is { Length: > 0 } prefix)
        {
            metadata["name"] = prefix[..Math.Min(prefix.Length, 58)] + Guid.NewGuid().ToString("N")[..5];
        }
        foreach (var field in ServerFields)
        {
            metadata.Remove(field);
        }
        if (type.HasStatus && type.IsCustom)
        {
            body.Remove("status");
        }
        CheckName(type, body);
        return Validated(type, body);
    }

    /// <summary>Readies a replacement of <paramref name="current"/>; status stays as stored when a subresource owns it.</summary>
    public static JsonObject ForUpdate(ResourceType type, JsonObject current, JsonObject body, bool statusOnly)
    {
        CheckTypeMeta(type, body);
        var version = body.ResourceVersion();
        if (string.IsNullOrEmpty(version) && type.IsCustom)
        {
            throw ApiErrors.Invalid(type, current.Name(), "metadata.resourceVersion", CauseReasons.Invalid,
                "Invalid value: 0x0: must be specified for an update");
        }
        if (!string.IsNullOrEmpty(version) && version != current.ResourceVersion())
        {
            throw ApiErrors.Conflict(type, current.Name());
        }
        JsonObject next;
        if (statusOnly)
        {
            next = current.DeepClone().AsObject();
            next["status"] = body["status"]?.DeepClone();
        }
        else
        {
            next = body.DeepClone().AsObject();
            if (type.HasStatus)
            {
                next["status"] = current["status"]?.DeepClone();
            }
        }
        if (next["status"] is null)
        {
            next.Remove("status");
        }
        return Validated(type, next);
    }

    private static JsonObject Validated(ResourceType type, JsonObject obj)
    {
        if (type.Schema is { } schema)
        {
            var causes = CustomResourceAdmission.Admit(schema, obj);
            if (causes.Count > 0)
            {
                throw ApiErrors.Invalid(type, obj.Name(), causes);
            }
        }
        return obj;
    }

    private static void CheckTypeMeta(ResourceType type, JsonObject body)
    {
        var apiVersion = ObjectMeta.Text(body["apiVersion"]);
        var kind = ObjectMeta.Text(body["kind"]);
        if (apiVersion is { Length: > 0 } && apiVersion != type.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }
        if (kind is { Length: > 0 } && kind != type.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        }
        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
    }

    private static void SetNamespace(ResourceType type, string? ns, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }
        var given = ObjectMeta.Text(metadata["namespace"]);
        if (given is { Length: > 0 } && given != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        metadata["namespace"] = ns;
    }

    private static void CheckName(ResourceType type, JsonObject body)
    {
        var name = body.Name();
        if (name.Length == 0)
        {
            throw ApiErrors.Invalid(type, name, "metadata.name", CauseReasons.Required, "Required value: name or generateName is required");
        }
        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw ApiErrors.Invalid(type, name, "metadata.name", CauseReasons.Invalid,
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
    }
}
