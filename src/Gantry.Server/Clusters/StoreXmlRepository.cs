using System.Xml.Linq;
using Gantry.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Gantry.Server.Clusters;

/// <summary>
/// Keeps the Data Protection key ring in the store, so that every gateway replica on the same
/// database uses the same keys and decrypts what any of them encrypted.
/// </summary>
internal sealed class StoreXmlRepository(IKeyRingStore keyRing, TimeProvider time) : IXmlRepository
{
    // IXmlRepository is synchronous. Data Protection calls it only when it loads or rolls the
    // key ring (at first use, then about once a day), never once per protect or unprotect.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        keyRing.ListAsync(CancellationToken.None).GetAwaiter().GetResult().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        keyRing.AddAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting), time.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult();
}
