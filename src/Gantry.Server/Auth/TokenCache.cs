using System.Collections.Concurrent;
using Gantry.Core.Users;
using Gantry.Storage;

namespace Gantry.Server.Auth;

/// <summary>
/// Remembers whom a token hash belongs to (a user, or a job for job tokens) for a short while,
/// so that authenticating a request costs a hash and a dictionary look-up rather than a query.
/// </summary>
public sealed class TokenCache(IGantryStore store, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (object? Owner, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<User?> FindUserAsync(string token, CancellationToken cancellationToken) =>
        await FindAsync(token, async (hash, ct) => await store.Users.FindByTokenHashAsync(hash, ct), cancellationToken) as User;

    /// <summary>The id of the job a job token belongs to, or null.</summary>
    public async ValueTask<string?> FindJobAsync(string token, CancellationToken cancellationToken) =>
        await FindAsync(token, async (hash, ct) => await store.JobTokens.FindJobAsync(hash, ct), cancellationToken) as string;

    private async ValueTask<object?> FindAsync(string token, Func<string, CancellationToken, Task<object?>> lookUp, CancellationToken cancellationToken)
    {
        var hash = ApiToken.Hash(token);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now)
        {
            return entry.Owner;
        }
        var owner = await lookUp(hash, cancellationToken);
        if (_entries.Count > 10_000)
        {
            // Bounded: a flood of bad tokens must not grow memory without end.
            _entries.Clear();
        }
        _entries[hash] = (owner, now + Lifetime);
        return owner;
    }
}
