using System.Net;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Gantry.Sandbox.Tests.Support.Manifests;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>The API machinery for custom resources, through KubernetesClient over HTTPS, as Gantry's backend uses it.</summary>
[Collection(SandboxCollection.Name)]
public class CustomResourceTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _client = sandbox.Client;

    private Task<object> CreateAsync(string ns, JsonObject app) =>
        _client.CustomObjects.CreateNamespacedCustomObjectAsync(app, SparkGroup, SparkVersion, ns, SparkPlural);

    private async Task<JsonObject> GetAsync(string ns, string name) =>
        AsNode(await _client.CustomObjects.GetNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, name));

    private static async Task<JsonObject> StatusOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        return JsonNode.Parse(error.Response.Content)!.AsObject();
    }

    [Fact]
    public async Task Create_stamps_identity_and_a_second_create_is_409_AlreadyExists()
    {
        var ns = await sandbox.NamespaceAsync("crud");

        var created = AsNode(await CreateAsync(ns, Spark("pi", duration: "1h")));

        Assert.NotNull(created.Text("metadata.uid"));
        Assert.Equal("1", created.Text("metadata.generation"));
        Assert.True(long.Parse(created.Text("metadata.resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var status = await StatusOf(() => CreateAsync(ns, Spark("pi")));
        Assert.Equal(409, (int)status["code"]!);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("sparkapplications.sparkoperator.k8s.io \"pi\" already exists", (string?)status["message"]);
        Assert.Equal("sparkapplications", status.Text("details.kind"));
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_a_404_NotFound_Status()
    {
        var ns = await sandbox.NamespaceAsync("missing");

        var status = await StatusOf(() => GetAsync(ns, "nope"));

        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(404, (int)status["code"]!);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal("sparkapplications.sparkoperator.k8s.io \"nope\" not found", (string?)status["message"]);
        Assert.Equal("sparkoperator.k8s.io", status.Text("details.group"));
    }

    [Fact]
    public async Task A_manifest_the_real_CRD_rejects_is_422_Invalid_with_a_cause_per_field()
    {
        var ns = await sandbox.NamespaceAsync("invalid");
        var app = Spark("bad");
        app["spec"]!["executor"]!["instances"] = 0;
        app["spec"]!.AsObject().Remove("sparkVersion");

        var status = await StatusOf(() => CreateAsync(ns, app));

        Assert.Equal(422, (int)status["code"]!);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal("SparkApplication", status.Text("details.kind"));
        var causes = status["details"]!["causes"]!.AsArray().Select(c => (c.Text("reason"), c.Text("field"))).OrderBy(c => c.Item2).ToList();
        Assert.Equal([("FieldValueInvalid", "spec.executor.instances"), ("FieldValueRequired", "spec.sparkVersion")], causes);
        Assert.StartsWith("SparkApplication.sparkoperator.k8s.io \"bad\" is invalid: [", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_and_posted_status_is_dropped()
    {
        var ns = await sandbox.NamespaceAsync("prune");
        var app = Spark("pi", duration: "1h");
        app["spec"]!["colour"] = "blue";
        app["status"] = new JsonObject { ["applicationState"] = new JsonObject { ["state"] = "COMPLETED" } };

        var created = AsNode(await CreateAsync(ns, app));

        Assert.Null(created["spec"]!["colour"]);
        Assert.Null(created["status"]);
    }

    [Fact]
    public async Task A_stale_resourceVersion_is_409_Conflict_and_a_missing_one_is_422()
    {
        var ns = await sandbox.NamespaceAsync("conflict");
        var created = AsNode(await CreateAsync(ns, Spark("pi", duration: "1h")));
        var change = new V1Patch("""{"spec":{"image":"spark:4.0.1"}}""", V1Patch.PatchType.MergePatch);
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync(change, SparkGroup, SparkVersion, ns, SparkPlural, "pi");

        created["spec"]!["image"] = "spark:stale";
        var conflict = await StatusOf(() => _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, SparkGroup, SparkVersion, ns, SparkPlural, "pi"));
        created["metadata"]!.AsObject().Remove("resourceVersion");
        var invalid = await StatusOf(() => _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, SparkGroup, SparkVersion, ns, SparkPlural, "pi"));

        Assert.Equal("Conflict", (string?)conflict["reason"]);
        Assert.Contains("the object has been modified", (string?)conflict["message"], StringComparison.Ordinal);
        Assert.Equal(422, (int)invalid["code"]!);
        Assert.Equal("metadata.resourceVersion", invalid["details"]!["causes"]![0].Text("field"));
        Assert.Equal("2", (await GetAsync(ns, "pi")).Text("metadata.generation"));
    }

    [Fact]
    public async Task The_status_subresource_owns_status_and_nothing_else()
    {
        var ns = await sandbox.NamespaceAsync("status");
        await CreateAsync(ns, Spark("pi", duration: "1h"));
        await Eventually.Until(() => GetAsync(ns, "pi"), a => a.Text("status.applicationState.state") == "RUNNING", what: "RUNNING");

        var statusPatch = new V1Patch("""{"status":{"applicationState":{"state":"UNKNOWN"}},"spec":{"image":"ignored"}}""", V1Patch.PatchType.MergePatch);
        await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(statusPatch, SparkGroup, SparkVersion, ns, SparkPlural, "pi");
        var afterStatus = await GetAsync(ns, "pi");
        var mainPatch = new V1Patch("""{"status":{"applicationState":{"state":"COMPLETED"}},"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch);
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync(mainPatch, SparkGroup, SparkVersion, ns, SparkPlural, "pi");
        var afterMain = await GetAsync(ns, "pi");

        Assert.Equal("spark:4.0.0", afterStatus.Text("spec.image"));
        Assert.Equal("y", afterMain.Text("metadata.labels.x"));
        Assert.NotEqual("COMPLETED", afterMain.Text("status.applicationState.state"));
    }

    [Fact]
    public async Task Json_patch_edits_in_place_and_strategic_merge_is_refused_for_custom_resources()
    {
        var ns = await sandbox.NamespaceAsync("patch");
        await CreateAsync(ns, Spark("pi", duration: "1h"));

        var jsonPatch = new V1Patch("""[{"op":"replace","path":"/spec/executor/instances","value":3},{"op":"add","path":"/metadata/labels/team","value":"ml"}]""", V1Patch.PatchType.JsonPatch);
        var patched = AsNode(await _client.CustomObjects.PatchNamespacedCustomObjectAsync(jsonPatch, SparkGroup, SparkVersion, ns, SparkPlural, "pi"));
        var strategic = new V1Patch("""{"spec":{"image":"x"}}""", V1Patch.PatchType.StrategicMergePatch);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CustomObjects.PatchNamespacedCustomObjectAsync(strategic, SparkGroup, SparkVersion, ns, SparkPlural, "pi"));

        Assert.Equal("3", patched.Text("spec.executor.instances"));
        Assert.Equal("ml", patched.Text("metadata.labels.team"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.Response.StatusCode);
    }

    [Theory]
    [InlineData("team=ml", "a")]
    [InlineData("team==ml", "a")]
    [InlineData("team!=ml", "b,c")]
    [InlineData("team in (ml,data)", "a,b")]
    [InlineData("team notin (ml)", "b,c")]
    [InlineData("team", "a,b")]
    [InlineData("!team", "c")]
    [InlineData("team=data,tier=gold", "b")]
    public async Task Lists_filter_by_label_selector(string selector, string expected)
    {
        var ns = await sandbox.NamespaceAsync("select");
        await CreateAsync(ns, Spark("a", duration: "1h", labels: new JsonObject { ["team"] = "ml" }));
        await CreateAsync(ns, Spark("b", duration: "1h", labels: new JsonObject { ["team"] = "data", ["tier"] = "gold" }));
        await CreateAsync(ns, Spark("c", duration: "1h"));

        var list = AsNode(await _client.CustomObjects.ListNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, labelSelector: selector));

        Assert.Equal(expected, string.Join(',', list["items"]!.AsArray().Select(i => i.Text("metadata.name"))));
        Assert.Equal("SparkApplicationList", (string?)list["kind"]);
    }

    [Fact]
    public async Task The_all_namespaces_list_and_field_selectors_work()
    {
        var first = await sandbox.NamespaceAsync("all");
        var second = await sandbox.NamespaceAsync("all");
        await CreateAsync(first, Spark("x", duration: "1h", labels: new JsonObject { ["suite"] = first }));
        await CreateAsync(second, Spark("x", duration: "1h", labels: new JsonObject { ["suite"] = first }));

        var all = AsNode(await _client.CustomObjects.ListClusterCustomObjectAsync(SparkGroup, SparkVersion, SparkPlural, labelSelector: $"suite={first}"));
        var one = AsNode(await _client.CustomObjects.ListClusterCustomObjectAsync(SparkGroup, SparkVersion, SparkPlural, fieldSelector: $"metadata.namespace={second}"));

        Assert.Equal(2, all["items"]!.AsArray().Count);
        Assert.Equal(second, Assert.Single(one["items"]!.AsArray()).Text("metadata.namespace"));
    }

    [Fact]
    public async Task Delete_answers_Success_and_the_object_is_gone()
    {
        var ns = await sandbox.NamespaceAsync("delete");
        await CreateAsync(ns, Spark("pi", duration: "1h"));

        var answer = AsNode(await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(SparkGroup, SparkVersion, ns, SparkPlural, "pi"));

        Assert.Equal("Success", (string?)answer["status"]);
        Assert.Equal(404, (int)(await StatusOf(() => GetAsync(ns, "pi")))["code"]!);
    }

    [Fact]
    public async Task A_namespaced_create_in_a_missing_namespace_is_404()
    {
        var status = await StatusOf(() => CreateAsync("no-such-namespace", Spark("pi")));

        Assert.Equal("namespaces \"no-such-namespace\" not found", (string?)status["message"]);
    }
}
