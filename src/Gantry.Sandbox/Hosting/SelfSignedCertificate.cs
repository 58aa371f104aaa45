using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gantry.Sandbox.Hosting;

/// <summary>A serving certificate made at start, valid for 127.0.0.1 and localhost, that is its own CA.</summary>
internal static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string clusterName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=gantry-sandbox-{clusterName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        // A CA flag lets clients that pin the kubeconfig's CA chain-validate the serving certificate itself.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Re-import so Kestrel gets a certificate whose private key is usable on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public static string PemBase64(X509Certificate2 certificate) =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
}
