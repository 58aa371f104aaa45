using System.Collections.Concurrent;
using Gantry.Core.Users;
using Gantry.Storage;

namespace Gantry.Server.Auth;

/// <summary>
/// Remembers which user a token hash belongs to for a short while, so that authenticating a
/// request costs a hash and a dictionary look-up rather than a database query.
/// </summary>
public sealed class TokenCache(IGantryStore store, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (User? User, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<User?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiToken.Hash(token);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now)
        {
            return entry.User;
        }
        var user = await store.Users.FindByTokenHashAsync(hash, cancellationToken);
        if (_entries.Count > 10_000)
        {
            // Bounded: a flood of bad tokens must not grow memory without end.
            _entries.Clear();
        }
        _entries[hash] = (user, now + Lifetime);
        return user;
    }
}
