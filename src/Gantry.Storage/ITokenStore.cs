using Gantry.Core.Users;

namespace Gantry.Storage;

/// <summary>
/// Users' bearer tokens: found by the hash of their secret (the secret itself is never stored),
/// listed and revoked by their public id.
/// </summary>
public interface ITokenStore
{
    /// <summary>Stores <paramref name="token"/> under <paramref name="tokenHash"/>; throws <see cref="Core.Errors.NotFoundException"/> if its user does not exist.</summary>
    Task AddAsync(UserToken token, string tokenHash, CancellationToken cancellationToken);

    /// <summary>The token whose secret hashes to <paramref name="tokenHash"/>, expired or not; null if there is none (or it was revoked).</summary>
    Task<UserToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);

    Task<UserToken?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>A user's tokens, oldest first.</summary>
    Task<IReadOnlyList<UserToken>> ListAsync(string user, CancellationToken cancellationToken);

    /// <summary>Deletes the token; false if there was none with that id.</summary>
    Task<bool> RevokeAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records a use at <paramref name="at"/>, unless a later one is already recorded.</summary>
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
