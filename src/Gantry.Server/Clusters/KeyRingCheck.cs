using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Gantry.Storage;

namespace Gantry.Server.Clusters;

/// <summary>
/// Refuses to start a gateway whose key ring key did not encrypt the key ring already in the store.
/// Data Protection would not fail: it would skip the keys it cannot decrypt and add one of its own,
/// so replicas with different keys would each encrypt cluster credentials the others cannot read,
/// and the cluster would look unhealthy only on whichever replica happens to lead.
/// </summary>
public static class KeyRingCheck
{
    public static async Task EnsureOwnAsync(IKeyRingStore keyRing, X509Certificate2 key, CancellationToken cancellationToken)
    {
        var elements = await keyRing.ListAsync(cancellationToken);
        var foreign = new HashSet<string>();
        var encrypted = 0;
        foreach (var xml in elements)
        {
            // An encrypted key names the certificate it was encrypted to in its KeyInfo (XML Encryption).
            var certificates = XElement.Parse(xml).Descendants().Where(e => e.Name.LocalName == "X509Certificate").Select(e => e.Value.Trim()).ToList();
            if (certificates.Count == 0)
            {
                continue; // stored unencrypted by an older version: anyone can read it
            }
            encrypted++;
            if (!certificates.Any(c => SameCertificate(c, key)))
            {
                foreign.Add(Thumbprint(certificates[0]));
            }
        }
        if (foreign.Count > 0)
        {
            throw new KeyRingMismatchException(
                $"{foreign.Count switch { 1 => "a key", _ => "keys" }} of the key ring in the store ({string.Join(", ", foreign)}) {(foreign.Count == 1 ? "was" : "were")} encrypted with another key ring key than this gateway's " +
                $"({Convert.ToHexString(SHA256.HashData(key.RawData))[..16]}, {encrypted} encrypted key(s) in all). Every replica on one database needs the same key: " +
                "give them all the same GANTRY_KEYRING_KEY or Gantry:Secrets:KeyRingKeyFile (docs/operations.md).");
        }
    }

    private static bool SameCertificate(string base64, X509Certificate2 key)
    {
        try
        {
            return Convert.FromBase64String(base64).AsSpan().SequenceEqual(key.RawData);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Thumbprint(string base64)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(Convert.FromBase64String(base64)))[..16];
        }
        catch (FormatException)
        {
            return "unreadable certificate";
        }
    }
}
