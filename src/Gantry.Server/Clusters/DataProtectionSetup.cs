using System.Security.Cryptography.X509Certificates;
using Gantry.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Server.Clusters;

public static class DataProtectionSetup
{
    /// <summary>The application name every replica shares: Data Protection isolates payloads by it, and its default is the install path.</summary>
    public const string ApplicationName = "gantry";

    /// <summary>
    /// Data Protection with its key ring in the store (see <see cref="StoreXmlRepository"/>), each
    /// key encrypted there with <paramref name="keyRingCertificate"/> (see <see cref="KeyRingKey"/>).
    /// Keys an older version stored unencrypted still load (Data Protection decrypts only what is encrypted).
    /// </summary>
    public static IServiceCollection AddGantryDataProtection(this IServiceCollection services, X509Certificate2 keyRingCertificate)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .ProtectKeysWithCertificate(keyRingCertificate)
            .UnprotectKeysWithAnyCertificate(keyRingCertificate);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IGantryStore, TimeProvider>((options, store, time) => options.XmlRepository = new StoreXmlRepository(store.KeyRing, time));
        services.AddSingleton<ClusterConnectionProtector>();
        services.AddSingleton<IClusterConnections, ClusterConnections>();
        return services;
    }
}
