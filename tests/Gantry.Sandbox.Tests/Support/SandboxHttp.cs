using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gantry.Sandbox.Tests.Support;

/// <summary>A plain HttpClient for raw API calls (the service proxy), trusting only the cluster's CA, with its admin token.</summary>
internal static class SandboxHttp
{
    public static HttpClient Client(SandboxCluster cluster, string? token = null)
    {
        var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(cluster.CertificateAuthorityData)));
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = cluster.Server, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? cluster.AdminToken);
        return client;
    }
}
