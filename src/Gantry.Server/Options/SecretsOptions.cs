namespace Gantry.Server.Options;

/// <summary>The key that encrypts the Data Protection key ring at rest (see docs/security.md, "Secrets at rest").</summary>
public sealed class SecretsOptions
{
    /// <summary>The environment variable that may carry the key ring's certificate instead of a file: a PKCS#12 file, base64.</summary>
    public const string KeyEnvironmentVariable = "GANTRY_KEYRING_KEY";

    /// <summary>
    /// A PKCS#12 (.pfx) file holding the certificate whose key encrypts the key ring; empty:
    /// &lt;data dir&gt;/keyring.pfx, created on first start. Ignored when GANTRY_KEYRING_KEY is set.
    /// </summary>
    public string KeyRingKeyFile { get; set; } = "";
}
