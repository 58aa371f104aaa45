using System.Net.Http.Json;
using Gantry.Sandbox;
using Xunit;

namespace Gantry.Testing;

/// <summary>Registers a sandbox cluster with a test gateway the way an admin would: <c>POST /api/v1/clusters</c>.</summary>
public static class SandboxRegistration
{
    public static async Task RegisterAsync(this HttpClient admin, SandboxCluster cluster, string? name = null, string @namespace = "default")
    {
        var response = await admin.PostAsJsonAsync("api/v1/clusters", new
        {
            name = name ?? cluster.Name,
            server = cluster.Server.ToString(),
            token = cluster.AdminToken,
            certificateAuthorityData = cluster.CertificateAuthorityData,
            @namespace,
            labels = cluster.Labels,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
