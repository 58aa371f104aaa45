using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gantry.Server.Options;

namespace Gantry.Server.Clusters;

/// <summary>
/// The certificate whose RSA key encrypts the Data Protection key ring at rest, kept outside the
/// store: from GANTRY_KEYRING_KEY (a PKCS#12 file, base64, e.g. a Kubernetes Secret as an
/// environment variable), else from Gantry:Secrets:KeyRingKeyFile (a Secret mounted as a file),
/// else &lt;data dir&gt;/keyring.pfx, generated self-signed on first start (0600).
/// Anyone with the database but not this key cannot decrypt the cluster credentials in it.
/// </summary>
public static class KeyRingKey
{
    public const string DefaultFileName = "keyring.pfx";

    public static X509Certificate2 Load(GantryOptions options, Func<string, string?> environment)
    {
        if (environment(SecretsOptions.KeyEnvironmentVariable) is { Length: > 0 } encoded)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(encoded.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{SecretsOptions.KeyEnvironmentVariable} must be a PKCS#12 (.pfx) file in base64 (base64 -w0 keyring.pfx).");
            }
            return FromPkcs12(bytes, SecretsOptions.KeyEnvironmentVariable);
        }
        var path = FilePath(options);
        if (!File.Exists(path))
        {
            Create(path);
        }
        return FromPkcs12(File.ReadAllBytes(path), $"Gantry:Secrets:KeyRingKeyFile '{path}'");
    }

    /// <summary>Where the key file is: Gantry:Secrets:KeyRingKeyFile, else &lt;data dir&gt;/keyring.pfx.</summary>
    public static string FilePath(GantryOptions options) =>
        Path.GetFullPath(options.Secrets.KeyRingKeyFile.Length > 0 ? options.Secrets.KeyRingKeyFile : Path.Combine(options.DataDir, DefaultFileName));

    /// <summary>A key file outside the data dir, which a sandboxed job must not see either.</summary>
    public static IEnumerable<string> HiddenPaths(GantryOptions options) =>
        options.Secrets.KeyRingKeyFile.Length > 0 ? [FilePath(options)] : [];

    private static X509Certificate2 FromPkcs12(byte[] bytes, string source)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password: null);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException($"{source} is not a PKCS#12 (.pfx) file without a password: {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{source} must hold an RSA certificate with its private key.");
        }
        return certificate;
    }

    /// <summary>
    /// A self-signed RSA-3072 certificate, good for 100 years: it only names a key, and Data
    /// Protection never checks its dates. Written owner-only and never overwritten.
    /// </summary>
    private static void Create(string path)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=gantry key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        var bytes = certificate.Export(X509ContentType.Pkcs12);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var file = new FileStream(path, stream);
            file.Write(bytes);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another process: use that one.
        }
    }
}
