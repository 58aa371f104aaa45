using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gantry.Sandbox;
using Gantry.Testing;
using k8s;
using k8s.Autorest;
using k8s.KubeConfigModels;
using k8s.Models;
using Microsoft.Data.Sqlite;

namespace Gantry.Server.Tests.Clusters;

/// <summary>Import, test and share against simulated clusters over real HTTPS, with KubernetesClient and Debian's kubectl as the user's tools.</summary>
public sealed class ClusterManagementTests(SandboxClustersFixture fixture) : IClassFixture<SandboxClustersFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>Registers <paramref name="cluster"/> under a fresh name with its admin token; answers the name.</summary>
    private async Task<string> ImportAsync(SandboxCluster cluster)
    {
        var name = $"{cluster.Name}-{Suffix()}";
        using var admin = _gateway.Client();
        var response = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = SandboxClustersFixture.Kubeconfig((cluster, name, cluster.AdminToken, "default")) });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return name;
    }

    [Fact]
    public async Task A_kubeconfig_with_two_contexts_becomes_two_clusters_whose_tokens_are_only_stored_encrypted()
    {
        using var admin = _gateway.Client();
        var (east, west) = ($"east-{Suffix()}", $"west-{Suffix()}");
        var kubeconfig = SandboxClustersFixture.Kubeconfig((fixture.East, east, fixture.East.AdminToken, "default"), (fixture.West, west, fixture.West.AdminToken, "jobs"));

        var response = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig });
        var answer = await response.Content.ReadAsStringAsync();
        var listed = await admin.GetStringAsync("api/v1/clusters");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([east, west], JsonNode.Parse(answer)!["imported"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var token in new[] { fixture.East.AdminToken, fixture.West.AdminToken })
        {
            Assert.DoesNotContain(token, answer);
            Assert.DoesNotContain(token, listed);
            Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, token));
        }
        var raw = await RawConnectionAsync(west);
        Assert.False(string.IsNullOrEmpty(raw));
        Assert.DoesNotContain(fixture.West.AdminToken, raw);
        Assert.DoesNotContain(fixture.West.Server.Host + ":" + fixture.West.Server.Port, raw);
        var tested = JsonNode.Parse(await (await admin.PostAsync($"api/v1/clusters/{west}/test", null)).Content.ReadAsStringAsync())!;
        Assert.True(tested["reachable"]!.GetValue<bool>(), tested.ToJsonString());
    }

    [Fact]
    public async Task Test_with_the_admin_token_answers_ok_with_the_version_the_operators_and_every_right()
    {
        var name = await ImportAsync(fixture.East);
        using var admin = _gateway.Client();

        var response = await admin.PostAsync($"api/v1/clusters/{name}/test", null);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failing = result["checks"]!.AsArray().Where(c => !c!["ok"]!.GetValue<bool>()).Select(c => c!.ToJsonString()).ToList();
        Assert.Empty(failing);
        Assert.True(result["ok"]!.GetValue<bool>());
        Assert.StartsWith("v1.", result["version"]!.GetValue<string>());
        Assert.Equal(["JAXJob", "Job", "PyTorchJob", "SparkApplication", "TrainJob"], result["kinds"]!.AsArray().Select(k => k!.GetValue<string>()).Order(StringComparer.Ordinal));
        var checks = result["checks"]!.AsArray().Select(c => c!["check"]!.GetValue<string>()).ToList();
        Assert.Contains("delete sparkapplications.sparkoperator.k8s.io in default", checks);
        Assert.Contains("watch jaxjobs.kubeflow.org in default", checks);
        Assert.Contains("get pods/log in default", checks);
        Assert.Contains("list nodes (cluster-wide)", checks);
    }

    [Fact]
    public async Task Test_with_a_restricted_service_account_names_each_missing_right()
    {
        using var sandbox = SandboxClustersFixture.AdminClient(fixture.East);
        var ns = "restricted-" + Suffix();
        await sandbox.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await sandbox.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "gantry" } }, ns);
        // Everything Gantry needs on the job resources except delete, and pods without their log.
        await sandbox.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "almost" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = ["sparkoperator.k8s.io"], Resources = ["sparkapplications"], Verbs = ["create", "get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = ["kubeflow.org"], Resources = ["pytorchjobs", "jaxjobs"], Verbs = ["create", "get", "list", "watch", "delete"] },
                new V1PolicyRule { ApiGroups = ["trainer.kubeflow.org"], Resources = ["trainjobs"], Verbs = ["create", "get", "list", "watch", "delete"] },
                new V1PolicyRule { ApiGroups = ["batch"], Resources = ["jobs"], Verbs = ["create", "get", "list", "watch", "delete"] },
                new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get", "list", "watch"] },
            ],
        }, ns);
        await sandbox.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "almost" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "gantry", NamespaceProperty = ns }],
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "almost" },
        }, ns);
        var token = (await sandbox.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600 } }, "gantry", ns)).Status.Token;
        var name = "restricted-" + Suffix();
        using var admin = _gateway.Client();
        (await admin.PostAsJsonAsync("api/v1/clusters", new
        {
            name, server = fixture.East.Server.GetLeftPart(UriPartial.Authority), token, certificateAuthorityData = fixture.East.CertificateAuthorityData, @namespace = ns,
        })).EnsureSuccessStatusCode();

        var result = JsonNode.Parse(await (await admin.PostAsync($"api/v1/clusters/{name}/test", null)).Content.ReadAsStringAsync())!;

        Assert.False(result["ok"]!.GetValue<bool>());
        Assert.True(result["reachable"]!.GetValue<bool>());
        var missing = result["checks"]!.AsArray().Where(c => !c!["ok"]!.GetValue<bool>()).Select(c => c!["check"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([$"delete sparkapplications.sparkoperator.k8s.io in {ns}", $"get pods/log in {ns}", "list nodes (cluster-wide)"], missing);
        Assert.All(result["checks"]!.AsArray().Where(c => !c!["ok"]!.GetValue<bool>()), c => Assert.StartsWith("missing", c!["message"]!.GetValue<string>()));
        Assert.DoesNotContain(token, result.ToJsonString());
    }

    [Fact]
    public async Task Test_of_a_cluster_that_does_not_answer_says_so_in_one_check()
    {
        using var admin = _gateway.Client();
        var name = "gone-" + Suffix();
        (await admin.PostAsJsonAsync("api/v1/clusters", new { name, server = "https://127.0.0.1:1", token = "t", insecureSkipTlsVerify = true })).EnsureSuccessStatusCode();

        var result = JsonNode.Parse(await (await admin.PostAsync($"api/v1/clusters/{name}/test", null)).Content.ReadAsStringAsync())!;

        Assert.False(result["reachable"]!.GetValue<bool>());
        var check = Assert.Single(result["checks"]!.AsArray())!;
        Assert.Equal("reachable", check["check"]!.GetValue<string>());
        Assert.Contains("cannot reach the API server", check["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_share_creates_the_users_namespace_and_rights_and_its_kubeconfig_works_there_and_only_there()
    {
        var cluster = await ImportAsync(fixture.West);
        var user = "ann" + Suffix();
        using var userClient = await _gateway.UserClientAsync(user);
        using var admin = _gateway.Client();

        var first = await admin.PostAsJsonAsync($"api/v1/clusters/{cluster}/shares", new { user });
        var again = await admin.PostAsJsonAsync($"api/v1/clusters/{cluster}/shares", new { user });
        var share = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        var ns = share["namespace"]!.GetValue<string>();
        var kubeconfig = share["kubeconfig"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal($"gantry-{user}", ns);
        Assert.Equal(ns, JsonNode.Parse(await first.Content.ReadAsStringAsync())!["namespace"]!.GetValue<string>());
        Assert.NotNull(share["expiresAt"]);
        using var sandbox = SandboxClustersFixture.AdminClient(fixture.West);
        Assert.Equal(ns, (await sandbox.CoreV1.ReadNamespaceAsync(ns)).Metadata.Name);
        Assert.Equal($"gantry-{user}", (await sandbox.CoreV1.ReadNamespacedServiceAccountAsync($"gantry-{user}", ns)).Metadata.Name);
        Assert.NotEmpty((await sandbox.RbacAuthorizationV1.ReadNamespacedRoleAsync("gantry-job-user", ns)).Rules);
        Assert.Single((await sandbox.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items);
        var listed = JsonNode.Parse(await admin.GetStringAsync($"api/v1/clusters/{cluster}/shares"))!["items"]!.AsArray();
        Assert.Equal(user, Assert.Single(listed)!["user"]!.GetValue<string>());
        Assert.DoesNotContain("kubeconfig", listed.ToJsonString());

        // The user's own tools: KubernetesClient from the kubeconfig, in their namespace and outside it.
        using var asUser = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(KubernetesYaml.Deserialize<K8SConfiguration>(kubeconfig)));
        await asUser.CustomObjects.CreateNamespacedCustomObjectAsync(TestJobs.SparkApplication("from-client"), "sparkoperator.k8s.io", "v1beta2", ns, "sparkapplications");
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() =>
            asUser.CustomObjects.CreateNamespacedCustomObjectAsync(TestJobs.SparkApplication("elsewhere"), "sparkoperator.k8s.io", "v1beta2", "default", "sparkapplications"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
        Assert.NotNull(await sandbox.CustomObjects.GetNamespacedCustomObjectAsync("sparkoperator.k8s.io", "v1beta2", ns, "sparkapplications", "from-client"));
    }

    [Fact]
    public async Task A_shared_kubeconfig_works_with_kubectl_in_its_namespace_and_is_forbidden_elsewhere()
    {
        Assert.True(File.Exists("/usr/bin/kubectl"), "Debian's kubectl is expected at /usr/bin/kubectl");
        var cluster = await ImportAsync(fixture.East);
        var user = "kc" + Suffix();
        using var userClient = await _gateway.UserClientAsync(user);
        using var admin = _gateway.Client();
        var share = JsonNode.Parse(await (await admin.PostAsJsonAsync($"api/v1/clusters/{cluster}/shares", new { user, @namespace = "team-" + user })).Content.ReadAsStringAsync())!;
        var dir = Directory.CreateTempSubdirectory("gantry-kubectl-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, share["kubeconfig"]!.GetValue<string>());
        var manifest = Path.Combine(dir, "spark.yaml");
        await File.WriteAllTextAsync(manifest, TestJobs.SparkApplication("from-kubectl").ToJsonString());

        // --validate=false: the sandbox serves no OpenAPI document for kubectl's client-side validation.
        var (applied, appliedOutput) = await KubectlAsync(kubeconfig, "apply", "--validate=false", "-f", manifest);
        var (got, gotOutput) = await KubectlAsync(kubeconfig, "get", "sparkapplications", "-o", "name");
        var (elsewhere, elsewhereOutput) = await KubectlAsync(kubeconfig, "get", "sparkapplications", "-n", "default");

        Assert.True(applied == 0, appliedOutput);
        Assert.True(got == 0, gotOutput);
        Assert.Contains("from-kubectl", gotOutput);
        Assert.NotEqual(0, elsewhere);
        Assert.Contains("forbidden", elsewhereOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Removing_a_share_revokes_its_token_and_keeps_the_namespace()
    {
        var cluster = await ImportAsync(fixture.West);
        var user = "rm" + Suffix();
        using var userClient = await _gateway.UserClientAsync(user);
        using var admin = _gateway.Client();
        var share = JsonNode.Parse(await (await admin.PostAsJsonAsync($"api/v1/clusters/{cluster}/shares", new { user })).Content.ReadAsStringAsync())!;
        using var asUser = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigObject(KubernetesYaml.Deserialize<K8SConfiguration>(share["kubeconfig"]!.GetValue<string>())));
        var ns = share["namespace"]!.GetValue<string>();
        await asUser.CoreV1.ListNamespacedPodAsync(ns);

        var removed = await admin.DeleteAsync($"api/v1/clusters/{cluster}/shares/{user}");
        var again = await admin.DeleteAsync($"api/v1/clusters/{cluster}/shares/{user}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => asUser.CoreV1.ListNamespacedPodAsync(ns));
        // 401 where the API server revokes a deleted account's tokens; 403 at least, the binding being gone.
        Assert.Contains(refused.Response.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        using var sandbox = SandboxClustersFixture.AdminClient(fixture.West);
        Assert.Equal(ns, (await sandbox.CoreV1.ReadNamespaceAsync(ns)).Metadata.Name);
        Assert.Empty(JsonNode.Parse(await admin.GetStringAsync($"api/v1/clusters/{cluster}/shares"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task Shares_name_a_bad_user_or_namespace_and_the_local_cluster_cannot_be_shared()
    {
        var cluster = await ImportAsync(fixture.East);
        using var admin = _gateway.Client();

        var unknown = await admin.PostAsJsonAsync($"api/v1/clusters/{cluster}/shares", new { user = "nobody-" + Suffix(), @namespace = "Bad_NS" });
        var missing = await admin.PostAsJsonAsync($"api/v1/clusters/{cluster}/shares", new { @namespace = "x" });
        var local = await admin.PostAsJsonAsync("api/v1/clusters/local/shares", new { user = "admin" });
        var noCluster = await admin.PostAsJsonAsync("api/v1/clusters/nope/shares", new { user = "admin" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(["namespace", "user"], JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, local.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noCluster.StatusCode);
    }

    private async Task<string?> RawConnectionAsync(string cluster)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_gateway.DataDir, "gantry.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT connection FROM clusters WHERE name = $name";
        command.Parameters.AddWithValue("$name", cluster);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<(int ExitCode, string Output)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["HOME"] = Path.GetDirectoryName(kubeconfig);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
