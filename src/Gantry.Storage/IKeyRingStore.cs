namespace Gantry.Storage;

/// <summary>
/// The XML elements of the gateway's Data Protection key ring. Kept in the store so that every
/// replica on the same database decrypts what any of them encrypted.
/// </summary>
public interface IKeyRingStore
{
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds an element; an element already stored under <paramref name="name"/> is kept.</summary>
    Task AddAsync(string name, string xml, DateTimeOffset createdAt, CancellationToken cancellationToken);
}
