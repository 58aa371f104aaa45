using Gantry.Sandbox;
using k8s;
using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>
/// A pod's view of a sandbox cluster, as the kubelet lays it out under
/// /var/run/secrets/kubernetes.io/serviceaccount: <c>token</c>, <c>ca.crt</c> and <c>namespace</c>
/// as symlinks into <c>..data</c>, itself a symlink to a timestamped directory that a rotation
/// replaces in one rename. The token is a real one, issued by the sandbox through a TokenRequest.
/// </summary>
public sealed partial class PodFiles : IDisposable
{
    private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("gantry-pod-");
    private readonly string _ca;
    private readonly string _namespace;
    private int _generation;

    public PodFiles(SandboxCluster cluster, string @namespace)
    {
        _ca = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(cluster.CertificateAuthorityData));
        _namespace = @namespace;
    }

    public string Directory => _dir.FullName;
    public string TokenFile => Path.Combine(Directory, "token");
    public string CertificateAuthorityFile => Path.Combine(Directory, "ca.crt");
    public string NamespaceFile => Path.Combine(Directory, "namespace");

    /// <summary>Puts <paramref name="token"/> in place as the kubelet does: a new directory, then one rename of <c>..data</c>.</summary>
    public void Rotate(string token)
    {
        var generation = Path.Combine(Directory, $"..gen_{++_generation}");
        System.IO.Directory.CreateDirectory(generation);
        File.WriteAllText(Path.Combine(generation, "token"), token);
        File.WriteAllText(Path.Combine(generation, "ca.crt"), _ca);
        File.WriteAllText(Path.Combine(generation, "namespace"), _namespace);
        var next = Path.Combine(Directory, "..data_tmp");
        File.CreateSymbolicLink(next, Path.GetFileName(generation));
        // rename(2) replaces the old ..data link atomically, as the kubelet's AtomicWriter does.
        // (File.Move would follow the link to a directory and refuse.)
        if (Rename(next, Path.Combine(Directory, "..data")) != 0)
        {
            throw new IOException($"rename to ..data failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
        foreach (var name in new[] { "token", "ca.crt", "namespace" })
        {
            if (!File.Exists(Path.Combine(Directory, name)))
            {
                File.CreateSymbolicLink(Path.Combine(Directory, name), Path.Combine("..data", name));
            }
        }
    }

    /// <summary>Creates the service account (and its namespace) on the sandbox and answers a fresh token for it.</summary>
    public static async Task<string> IssueTokenAsync(IKubernetes admin, string @namespace, string account)
    {
        try
        {
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = @namespace } });
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Made by an earlier call.
        }
        try
        {
            await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = account } }, @namespace);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Made by an earlier call.
        }
        var issued = await admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenRequest", Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = 3600 } },
            account, @namespace);
        return issued.Status.Token;
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string from,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string to);
}
