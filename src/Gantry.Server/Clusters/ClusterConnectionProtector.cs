using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Core.Clusters;
using Microsoft.AspNetCore.DataProtection;

namespace Gantry.Server.Clusters;

/// <summary>Encrypts a cluster's connection for the store and decrypts it for its backend (Data Protection, keys in the store).</summary>
public sealed class ClusterConnectionProtector(IDataProtectionProvider provider)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The purpose isolates these payloads from anything else protected with the same keys.
    private readonly IDataProtector _protector = provider.CreateProtector("Gantry.Clusters.Connection.v1");

    public string Protect(ClusterConnection connection) => _protector.Protect(JsonSerializer.Serialize(connection, Json));

    public ClusterConnection Unprotect(string cluster, string protectedConnection)
    {
        try
        {
            return JsonSerializer.Deserialize<ClusterConnection>(_protector.Unprotect(protectedConnection), Json)
                ?? throw new InvalidOperationException($"The stored connection of cluster '{cluster}' is empty.");
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"The stored connection of cluster '{cluster}' cannot be decrypted: the key ring in the store does not hold its key (was the database restored without its data_protection_keys table?), " +
                "or this gateway has another key ring key than the one that encrypted it (keyring.pfx, Gantry:Secrets:KeyRingKeyFile or GANTRY_KEYRING_KEY). Restore that key, or remove the cluster and register it again.",
                ex);
        }
    }
}
