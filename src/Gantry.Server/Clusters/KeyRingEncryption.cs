using System.Xml.Linq;
using Gantry.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Clusters;

/// <summary>
/// Encrypts, at start, the keys an older Gantry stored in the clear: the same transformation Data
/// Protection applies to a new key (each element it marks <c>requiresEncryption</c> becomes an
/// <c>encryptedSecret</c> its decryptor reads back), with the key ring's own encryptor. The keys
/// keep their ids, so what they protected still decrypts.
/// </summary>
public sealed partial class KeyRingEncryption(IGantryStore store, IOptions<KeyManagementOptions> options, ILogger<KeyRingEncryption> logger)
{
    private static readonly XName RequiresEncryption = XName.Get("requiresEncryption", "http://schemas.asp.net/2015/03/dataProtection");

    /// <summary>Encrypts every stored key that is not; answers how many were.</summary>
    public async Task<int> EncryptStoredKeysAsync(CancellationToken cancellationToken)
    {
        var encryptor = options.Value.XmlEncryptor ?? throw new InvalidOperationException("Data Protection has no key encryptor configured.");
        var encrypted = 0;
        foreach (var xml in await store.KeyRing.ListAsync(cancellationToken))
        {
            var element = XElement.Parse(xml);
            var secrets = element.Descendants().Where(e => (string?)e.Attribute(RequiresEncryption) == "true").ToList();
            if (secrets.Count == 0)
            {
                continue;
            }
            foreach (var secret in secrets)
            {
                var info = encryptor.Encrypt(new XElement(secret));
                secret.ReplaceWith(new XElement("encryptedSecret",
                    new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!),
                    info.EncryptedElement));
            }
            if (await store.KeyRing.ReplaceAsync(xml, element.ToString(SaveOptions.DisableFormatting), cancellationToken))
            {
                encrypted++;
            }
        }
        if (encrypted > 0)
        {
            LogEncrypted(encrypted);
        }
        return encrypted;
    }

    [LoggerMessage(1010, LogLevel.Warning, "Encrypted {Count} Data Protection keys that an older version had stored unencrypted")]
    private partial void LogEncrypted(int count);
}
