using System.Text.Json.Nodes;
using Gantry.Sandbox.Hosting;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>The generic verbs on a resource URL: get, list, watch, create, update, patch, delete, and the status subresource.</summary>
internal sealed class ResourceHandler(ClusterState state, WatchStreamer watches, TableWriter tables)
{
    public async Task HandleAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var method = context.Request.Method;
        if (target.Subresource is "status")
        {
            await HandleStatusAsync(context, target, ct);
            return;
        }
        if (target.Subresource is not null)
        {
            throw ApiErrors.PathNotFound();
        }
        switch (method, target.Name)
        {
            case ("GET", null) when IsWatch(context.Request.Query):
                await watches.StreamAsync(context, target, ct);
                break;
            case ("GET", null):
                await ListAsync(context, target, ct);
                break;
            case ("GET", _):
                await RespondAsync(context, 200, Get(target), target.Type, ct);
                break;
            case ("POST", null):
                await CreateAsync(context, target, ct);
                break;
            case ("PUT", { } name):
                var body = await JsonResponses.ReadObjectAsync(context.Request, ct);
                var updated = state.Store.Update(target.Type, Key(target), current => ObjectAdmission.ForUpdate(target.Type, current, body, statusOnly: false));
                await RespondAsync(context, 200, updated, target.Type, ct);
                break;
            case ("PATCH", { }):
                await PatchAsync(context, target, statusOnly: false, ct);
                break;
            case ("DELETE", { }):
                await DeleteAsync(context, target, ct);
                break;
            case ("DELETE", null):
                await DeleteCollectionAsync(context, target, ct);
                break;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    public static bool IsWatch(IQueryCollection query) => query["watch"].ToString() is "true" or "1";

    private JsonObject Get(ApiTarget target) => state.Store.Get(Key(target)) ?? throw ApiErrors.NotFound(target.Type, target.Name!);

    private async Task ListAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var filter = ObjectFilter.From(context.Request.Query);
        var (items, version) = state.Store.List(target.Type.Group, target.Type.Plural, target.Namespace, filter.Matches);
        var page = ListPage.Cut(items, context.Request.Query);
        var list = new JsonObject
        {
            ["kind"] = target.Type.ListKind,
            ["apiVersion"] = target.Type.ApiVersion,
            ["metadata"] = page.Metadata(version),
            ["items"] = new JsonArray([.. page.Items.Select(i => (JsonNode)i)]),
        };
        await RespondAsync(context, 200, list, target.Type, ct);
    }

    private async Task CreateAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var body = ObjectAdmission.ForCreate(target.Type, target.Namespace, await JsonResponses.ReadObjectAsync(context.Request, ct));
        RequireNamespace(target);
        TrainJobWebhook.Admit(state, target.Type, body);
        if (IsDryRun(context))
        {
            await RespondAsync(context, 201, body, target.Type, ct);
            return;
        }
        var created = state.Store.Create(target.Type, body);
        AfterWrite(target.Type, created);
        await RespondAsync(context, 201, created, target.Type, ct);
    }

    private async Task PatchAsync(HttpContext context, ApiTarget target, bool statusOnly, CancellationToken ct)
    {
        var mediaType = JsonResponses.MediaType(context.Request);
        var patch = await JsonResponses.ReadBodyAsync(context.Request, ct);
        if (mediaType == "application/apply-patch+yaml" && !statusOnly && state.Store.Get(Key(target)) is null)
        {
            if (string.IsNullOrEmpty(context.Request.Query["fieldManager"]))
            {
                throw ApiErrors.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }
            var body = ObjectAdmission.ForCreate(target.Type, target.Namespace, patch as JsonObject ?? throw ApiErrors.BadRequest("an apply patch must be an object"));
            RequireNamespace(target);
            var created = state.Store.Create(target.Type, body);
            AfterWrite(target.Type, created);
            await RespondAsync(context, 201, created, target.Type, ct);
            return;
        }
        var updated = state.Store.Update(target.Type, Key(target), current =>
        {
            var patched = Patches.Apply(target.Type, mediaType, current, patch) as JsonObject
                ?? throw ApiErrors.BadRequest("the patch did not produce an object");
            return ObjectAdmission.ForUpdate(target.Type, current, patched, statusOnly);
        });
        AfterWrite(target.Type, updated);
        await RespondAsync(context, 200, updated, target.Type, ct);
    }

    private async Task HandleStatusAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        if (!target.Type.HasStatus || target.Name is null)
        {
            throw ApiErrors.PathNotFound();
        }
        switch (context.Request.Method)
        {
            case "GET":
                await RespondAsync(context, 200, Get(target), target.Type, ct);
                break;
            case "PUT":
                var body = await JsonResponses.ReadObjectAsync(context.Request, ct);
                var updated = state.Store.Update(target.Type, Key(target), current => ObjectAdmission.ForUpdate(target.Type, current, body, statusOnly: true));
                await RespondAsync(context, 200, updated, target.Type, ct);
                break;
            case "PATCH":
                await PatchAsync(context, target, statusOnly: true, ct);
                break;
            default:
                throw ApiErrors.MethodNotAllowed();
        }
    }

    private async Task DeleteAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var options = context.Request.ContentLength is > 0 ? await JsonResponses.ReadBodyAsync(context.Request, ct) as JsonObject : null;
        var deleted = state.Store.Delete(target.Type, Key(target), current => CheckPreconditions(target, current, options?["preconditions"] as JsonObject));
        AfterDelete(target.Type, deleted);
        await JsonResponses.WriteAsync(context, 200, Success(target.Type, deleted), ct);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ApiTarget target, CancellationToken ct)
    {
        var filter = ObjectFilter.From(context.Request.Query);
        var (items, _) = state.Store.List(target.Type.Group, target.Type.Plural, target.Namespace, filter.Matches);
        foreach (var item in items)
        {
            try
            {
                AfterDelete(target.Type, state.Store.Delete(target.Type, ObjectKey.For(target.Type, item.Namespace(), item.Name())));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted meanwhile; the collection delete still succeeds.
            }
        }
        var list = new JsonObject { ["kind"] = target.Type.ListKind, ["apiVersion"] = target.Type.ApiVersion, ["metadata"] = new JsonObject(), ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i)]) };
        await JsonResponses.WriteAsync(context, 200, list, ct);
    }

    private static void CheckPreconditions(ApiTarget target, JsonObject current, JsonObject? preconditions)
    {
        if (preconditions is null)
        {
            return;
        }
        if (ObjectMeta.Text(preconditions["uid"]) is { } uid && uid != current.Uid()
            || ObjectMeta.Text(preconditions["resourceVersion"]) is { } version && version != current.ResourceVersion())
        {
            throw ApiErrors.Conflict(target.Type, current.Name());
        }
    }

    /// <summary>A CRD written through the API changes what the server serves, as in kube-apiserver.</summary>
    private void AfterWrite(ResourceType type, JsonObject obj)
    {
        if (type == BuiltInTypes.CustomResourceDefinitions)
        {
            CrdInstaller.Serve(state, obj);
        }
    }

    private void AfterDelete(ResourceType type, JsonObject obj)
    {
        if (type == BuiltInTypes.CustomResourceDefinitions)
        {
            CrdInstaller.Unserve(state, obj);
        }
    }

    private void RequireNamespace(ApiTarget target)
    {
        if (target.Type.Namespaced && state.Store.Get(new ObjectKey("", "namespaces", "", target.Namespace!)) is null)
        {
            throw ApiErrors.NotFound(BuiltInTypes.Namespaces, target.Namespace!);
        }
    }

    private static bool IsDryRun(HttpContext context) => context.Request.Query["dryRun"].ToString() == "All";

    private Task RespondAsync(HttpContext context, int status, JsonObject body, ResourceType type, CancellationToken ct) =>
        TableWriter.Wants(context.Request) ? tables.WriteAsync(context, status, body, type, ct) : JsonResponses.WriteAsync(context, status, body, ct);

    private static ObjectKey Key(ApiTarget target) => ObjectKey.For(target.Type, target.Namespace, target.Name!);

    private static JsonObject Success(ResourceType type, JsonObject deleted)
    {
        var details = new JsonObject { ["name"] = deleted.Name() };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Plural;
        details["uid"] = deleted.Uid();
        return new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["details"] = details };
    }
}
