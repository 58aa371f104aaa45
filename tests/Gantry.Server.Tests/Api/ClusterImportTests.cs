using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Server.Clusters;
using Gantry.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Tests.Api;

/// <summary>POST /clusters/import: one cluster per context; secrets stored encrypted, never answered; problems named by field.</summary>
public sealed class ClusterImportTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    private static string Kubeconfig(string a, string b, string tokenA, string extraUser = "") => $$"""
        apiVersion: v1
        kind: Config
        current-context: {{a}}
        clusters:
        - name: east
          cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}
        - name: west
          cluster: {server: "https://10.0.0.2:6443", insecure-skip-tls-verify: true}
        contexts:
        - name: {{a}}
          context: {cluster: east, user: ci, namespace: batch}
        - name: {{b}}
          context: {cluster: west, user: sso}
        users:
        - name: ci
          user: {token: {{tokenA}}}
        - name: sso
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: /usr/local/bin/get-token
              args: [--cluster, west]
              env: [{name: REGION, value: west}]
              interactiveMode: Never
        {{extraUser}}
        """;

    private async Task<JsonNode> GetAsync(HttpClient client, string path) => JsonNode.Parse(await client.GetStringAsync(path))!;

    [Fact]
    public async Task Every_context_becomes_a_cluster_with_its_credential_encrypted_and_never_answered()
    {
        using var admin = _gateway.Client();
        var (a, b, token) = ("east-" + Suffix(), "west-" + Suffix(), "secret-" + Suffix());

        var response = await admin.PostAsJsonAsync("api/v1/clusters/import", new
        {
            kubeconfig = Kubeconfig(a, b, token),
            rename = new Dictionary<string, string> { [b] = b + "-renamed" },
            labels = new Dictionary<string, string> { ["region"] = "eu" },
        });
        var text = await response.Content.ReadAsStringAsync();
        var answer = JsonNode.Parse(text)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([a, b + "-renamed"], answer["imported"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Empty(answer["errors"]!.AsObject());
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(token, await admin.GetStringAsync("api/v1/clusters"));
        Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, token));
        Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, "/usr/local/bin/get-token"), "exec plugins are credentials too: stored encrypted");
        var first = await GetAsync(admin, $"api/v1/clusters/{a}");
        Assert.Equal("eu", first["labels"]!["region"]!.GetValue<string>());
        Assert.Equal("batch", first["connection"]!["namespace"]!.GetValue<string>());
        Assert.Equal("exec", (await GetAsync(admin, $"api/v1/clusters/{b}-renamed"))["connection"]!["authentication"]!.GetValue<string>());
        var connections = _gateway.Services.GetRequiredService<IClusterConnections>();
        Assert.Equal(token, (await connections.GetAsync(a, CancellationToken.None)).Token);
        var exec = (await connections.GetAsync(b + "-renamed", CancellationToken.None)).Exec!;
        Assert.Equal("/usr/local/bin/get-token", exec.Command);
        Assert.Equal(["--cluster", "west"], exec.Args);
        Assert.Equal("west", exec.Env["REGION"]);
        Assert.Equal("default", (await connections.GetAsync(b + "-renamed", CancellationToken.None)).Namespace);
    }

    [Fact]
    public async Task A_bare_yaml_or_json_kubeconfig_body_imports_the_contexts_named_in_the_query()
    {
        using var admin = _gateway.Client();
        var (a, b) = ("ya-" + Suffix(), "yb-" + Suffix());
        var yaml = Kubeconfig(a, b, "t");
        var json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(yaml.Replace(a, a + "j").Replace(b, b + "j"))))!;

        var fromYaml = await admin.PostAsync($"api/v1/clusters/import?context={b}", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        var fromJson = await admin.PostAsync($"api/v1/clusters/import?context={a}j", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, fromYaml.StatusCode);
        Assert.Equal([b], JsonNode.Parse(await fromYaml.Content.ReadAsStringAsync())!["imported"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, fromJson.StatusCode);
        Assert.Equal([a + "j"], JsonNode.Parse(await fromJson.Content.ReadAsStringAsync())!["imported"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/clusters/{a}")).StatusCode);
    }

    [Fact]
    public async Task A_user_with_a_client_certificate_is_imported()
    {
        using var admin = _gateway.Client();
        var (certificate, key) = ClientCertificate();
        var name = "cert-" + Suffix();
        var kubeconfig = $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://10.0.0.3:6443", certificate-authority-data: {{{certificate}}}}}]
            contexts: [{name: {{{name}}}, context: {cluster: c, user: u}}]
            users: [{name: u, user: {client-certificate-data: {{{certificate}}}, client-key-data: {{{key}}}}}]
            """;

        var response = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = (await GetAsync(admin, $"api/v1/clusters/{name}"))["connection"]!;
        Assert.Equal("clientCertificate", summary["authentication"]!.GetValue<string>());
        Assert.True(summary["certificateAuthority"]!.GetValue<bool>());
        Assert.DoesNotContain(key, await response.Content.ReadAsStringAsync());
        Assert.False(await StoreFiles.ContainAsync(_gateway.DataDir, key[..40]));
        Assert.Equal(key, (await _gateway.Services.GetRequiredService<IClusterConnections>().GetAsync(name, CancellationToken.None)).ClientKeyData);
    }

    [Fact]
    public async Task Contexts_that_cannot_be_used_are_named_by_field_while_the_others_are_imported()
    {
        using var admin = _gateway.Client();
        var (a, b) = ("ok-" + Suffix(), "bad-" + Suffix());
        var kubeconfig = $$$"""
            apiVersion: v1
            kind: Config
            clusters:
            - {name: good, cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}}
            - {name: filed, cluster: {server: "https://10.0.0.2:6443", certificate-authority: /etc/ca.crt}}
            contexts:
            - {name: {{{a}}}, context: {cluster: good, user: ci}}
            - {name: {{{b}}}, context: {cluster: filed, user: nobody}}
            - {name: NotAName, context: {cluster: good, user: ci}}
            - {name: provider-{{{a}}}, context: {cluster: good, user: gcp}}
            users:
            - {name: ci, user: {token: t}}
            - name: gcp
              user:
                auth-provider: {name: gcp}
            """;

        var response = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig });
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var again = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig, contexts = new[] { a } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([a], answer["imported"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(
            ["contexts.NotAName.name", $"contexts.{b}.certificate-authority", $"contexts.{b}.user", $"contexts.provider-{a}.auth-provider"],
            answer["errors"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        var conflict = JsonNode.Parse(await again.Content.ReadAsStringAsync())!["errors"]![$"contexts.{a}.name"]![0]!.GetValue<string>();
        Assert.Contains("already exists", conflict);
    }

    [Fact]
    public async Task A_kubeconfig_that_does_not_parse_an_unknown_context_and_a_missing_kubeconfig_are_refused_naming_the_field()
    {
        using var admin = _gateway.Client();

        var garbage = await admin.PostAsync("api/v1/clusters/import", new StringContent("clusters: [unclosed", Encoding.UTF8, "application/yaml"));
        var unknown = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = Kubeconfig("x1", "x2", "t"), contexts = new[] { "x1", "nope" } });
        var missing = await admin.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = (string?)null, contexts = new[] { 3 } });
        var noContexts = await admin.PostAsync("api/v1/clusters/import", new StringContent("apiVersion: v1\nkind: Config\n", Encoding.UTF8, "application/yaml"));
        using var user = await _gateway.UserClientAsync("imp" + Suffix());
        var forbidden = await user.PostAsJsonAsync("api/v1/clusters/import", new { kubeconfig = Kubeconfig("y1", "y2", "t") });

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(["kubeconfig"], await FieldsAsync(garbage));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal(["contexts[1]"], await FieldsAsync(unknown));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("api/v1/clusters/x1")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal(["contexts[0]", "kubeconfig"], await FieldsAsync(missing));
        Assert.Equal(["kubeconfig.contexts"], await FieldsAsync(noContexts));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static async Task<List<string>> FieldsAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>A self-signed certificate and its key, each as base64 of PEM, as kubeconfig's -data fields hold them.</summary>
    private static (string Certificate, string Key) ClientCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=gantry-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem())),
                Convert.ToBase64String(Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem())));
    }
}
