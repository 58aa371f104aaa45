using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Gantry.Sandbox.Tests.Api;

/// <summary>
/// Service-account tokens as kube-apiserver makes them: signed JWTs verifiable with the published
/// keys, audience-bound by TokenRequest, reviewed by TokenReview against the reviewer's audiences.
/// </summary>
[Collection(SandboxCollection.Name)]
public class ServiceAccountTokenTests(SandboxFixture sandbox)
{
    private readonly IKubernetes _admin = sandbox.Client;

    private async Task<string> AccountAsync()
    {
        var ns = await sandbox.NamespaceAsync("tokens");
        await _admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "default-editor" } }, ns);
        return ns;
    }

    private async Task<string> TokenAsync(string ns, params string[] audiences) =>
        (await _admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new() { Audiences = audiences, ExpirationSeconds = 7200 } }, "default-editor", ns)).Status.Token;

    private Task<V1TokenReview> ReviewAsync(string token, params string[] audiences) =>
        _admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new() { Token = token, Audiences = audiences } });

    private static JsonObject Part(string token, int index) => JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]))!.AsObject();

    [Fact]
    public async Task A_token_request_for_an_audience_answers_a_jwt_with_the_kubernetes_claims()
    {
        var ns = await AccountAsync();
        var account = await _admin.CoreV1.ReadNamespacedServiceAccountAsync("default-editor", ns);

        var claims = Part(await TokenAsync(ns, "gantry"), 1);

        Assert.Equal(sandbox.Cluster.Issuer, claims.Text("iss"));
        Assert.Equal($"system:serviceaccount:{ns}:default-editor", claims.Text("sub"));
        Assert.Equal(["gantry"], claims["aud"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(ns, claims["kubernetes.io"]!["namespace"]!.GetValue<string>());
        Assert.Equal(account.Metadata.Uid, claims["kubernetes.io"]!["serviceaccount"]!["uid"]!.GetValue<string>());
        var lifetime = claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>();
        Assert.Equal(7200, lifetime);
    }

    [Fact]
    public async Task The_signature_verifies_with_the_key_the_anonymous_discovery_documents_publish()
    {
        var ns = await AccountAsync();
        var token = await TokenAsync(ns, "gantry");
        using var anonymous = SandboxHttp.Client(sandbox.Cluster);
        anonymous.DefaultRequestHeaders.Authorization = null;

        var discovery = (await anonymous.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;
        var jwks = (await anonymous.GetFromJsonAsync<JsonObject>(new Uri(discovery.Text("jwks_uri")!)))!;
        var key = jwks["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == Part(token, 0).Text("kid"))!;
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(key["n"]!.GetValue<string>()),
            Exponent = Base64Url.DecodeFromChars(key["e"]!.GetValue<string>()),
        });
        var parts = token.Split('.');

        Assert.Equal(sandbox.Cluster.Issuer, discovery.Text("issuer"));
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal("RS256", Part(token, 0).Text("alg"));
    }

    [Fact]
    public async Task A_review_for_the_tokens_audience_names_the_service_account_and_its_groups()
    {
        var ns = await AccountAsync();

        var review = await ReviewAsync(await TokenAsync(ns, "gantry"), "gantry");

        Assert.True(review.Status.Authenticated);
        Assert.Equal($"system:serviceaccount:{ns}:default-editor", review.Status.User.Username);
        Assert.Equal(["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"], review.Status.User.Groups);
        Assert.Equal(["gantry"], review.Status.Audiences);
        Assert.Null(review.Status.Error);
    }

    [Fact]
    public async Task A_review_for_another_audience_is_not_authenticated_and_says_why()
    {
        var ns = await AccountAsync();

        var review = await ReviewAsync(await TokenAsync(ns, "pipelines.kubeflow.org"), "gantry");

        Assert.NotEqual(true, review.Status.Authenticated);
        Assert.Contains("token audiences [\"pipelines.kubeflow.org\"] is invalid for the target audiences [\"gantry\"]", review.Status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_not_authenticated()
    {
        var ns = await AccountAsync();
        var token = sandbox.Cluster.IssueServiceAccountToken(ns, "default-editor", ["gantry"], DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromHours(1));

        var review = await ReviewAsync(token, "gantry");

        Assert.NotEqual(true, review.Status.Authenticated);
        Assert.Contains("expired", review.Status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_gantry_cannot_call_the_api_server_but_one_without_audiences_can()
    {
        var ns = await AccountAsync();
        using var forGantry = SandboxFixture.ClientFor(sandbox.Cluster, await TokenAsync(ns, "gantry"));
        using var forApi = SandboxFixture.ClientFor(sandbox.Cluster, await TokenAsync(ns));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => forGantry.CoreV1.ListNamespacedPodAsync(ns));
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => forApi.CoreV1.ListNamespacedPodAsync(ns));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        // Authenticated, only not allowed: RBAC gives the account nothing.
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
    }

    [Fact]
    public async Task Deleting_the_service_account_revokes_its_tokens()
    {
        var ns = await AccountAsync();
        var token = await TokenAsync(ns, "gantry");

        await _admin.CoreV1.DeleteNamespacedServiceAccountAsync("default-editor", ns);
        await _admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new() { Name = "default-editor" } }, ns);
        var review = await ReviewAsync(token, "gantry");

        Assert.NotEqual(true, review.Status.Authenticated);
        Assert.Contains("does not match claim", review.Status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_bound_to_a_pod_names_the_pod_and_dies_with_it()
    {
        var ns = await AccountAsync();
        var pod = await _admin.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = "notebook-0" },
            Spec = new() { ServiceAccountName = "default-editor", Containers = [new V1Container { Name = "main", Image = "jupyter" }] },
        }, ns);
        var token = (await _admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new() { Audiences = ["gantry"], ExpirationSeconds = 3600, BoundObjectRef = new V1BoundObjectReference { Kind = "Pod", Name = "notebook-0", Uid = pod.Metadata.Uid } },
        }, "default-editor", ns)).Status.Token;

        var alive = await ReviewAsync(token, "gantry");
        using var http = SandboxHttp.Client(sandbox.Cluster);
        (await http.DeleteAsync($"/api/v1/namespaces/{ns}/pods/notebook-0")).EnsureSuccessStatusCode();
        var gone = await Eventually.Until(async () => await ReviewAsync(token, "gantry"), r => r.Status.Authenticated != true);

        Assert.Equal("notebook-0", Assert.Single(alive.Status.User.Extra["authentication.kubernetes.io/pod-name"]));
        Assert.Contains("pods \"notebook-0\" not found", gone.Status.Error, StringComparison.Ordinal);
    }
}
