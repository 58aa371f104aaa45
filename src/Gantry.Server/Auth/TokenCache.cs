using System.Collections.Concurrent;
using System.Data.Common;
using Gantry.Core.Users;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Auth;

/// <summary>
/// Remembers whom a token hash belongs to (a user's token, or a job for job tokens) for
/// <c>Gantry:Tokens:CacheSeconds</c>, so that authenticating a request costs a hash and a dictionary
/// look-up rather than a query. That lifetime is the bound on how late a revocation made on another
/// replica is seen here; a revocation made here is forgotten at once (<see cref="Forget"/>).
/// Also records when each token was last used, at most once a minute per token.
/// </summary>
public sealed partial class TokenCache(IGantryStore store, TimeProvider time, IOptions<GantryOptions> options, ILogger<TokenCache> logger)
{
    /// <summary>How often a token's last use is written: often enough to read, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    // Bounded: a flood of bad tokens must not grow memory without end.
    private const int MaxEntries = 10_000;

    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(options.Value.Tokens.CacheSeconds);
    private readonly ConcurrentDictionary<string, (object? Owner, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touched = new(StringComparer.Ordinal);

    // A look-up that began before a Forget must not put back what the Forget removed: entries are
    // stored only if no Forget happened meanwhile, checked and stored under the lock Forget takes.
    private readonly Lock _forgetting = new();
    private long _generation;

    /// <summary>The user's token and its user, expired or not; null for a token the store does not hold.</summary>
    public async ValueTask<TokenOwner?> FindUserAsync(string token, CancellationToken cancellationToken) =>
        await FindAsync(ApiToken.Hash(token), LoadUserAsync, cancellationToken) as TokenOwner;

    /// <summary>
    /// The user's token with this id and its user, expired or not; null once it is revoked. A dashboard
    /// session names its token by id: cached and forgotten like a look-up by secret.
    /// </summary>
    public async ValueTask<TokenOwner?> FindUserByIdAsync(string tokenId, CancellationToken cancellationToken) =>
        // The key cannot collide with a hash (hex digits only).
        await FindAsync("id:" + tokenId, (_, ct) => LoadUserByIdAsync(tokenId, ct), cancellationToken) as TokenOwner;

    /// <summary>The id of the job a job token belongs to, or null.</summary>
    public async ValueTask<string?> FindJobAsync(string token, CancellationToken cancellationToken) =>
        await FindAsync(ApiToken.Hash(token), async (hash, ct) => await store.JobTokens.FindJobAsync(hash, ct), cancellationToken) as string;

    /// <summary>Drops what this replica remembers of the token, so that its revocation holds from the next request.</summary>
    public void Forget(string tokenId)
    {
        lock (_forgetting)
        {
            _generation++;
            _entries.TryRemove("id:" + tokenId, out _);
            foreach (var (hash, entry) in _entries)
            {
                if (entry.Owner is TokenOwner owner && owner.Token.Id == tokenId)
                {
                    _entries.TryRemove(hash, out _);
                }
            }
        }
        _touched.TryRemove(tokenId, out _);
    }

    /// <summary>Writes the token's last use, unless this replica or another wrote it less than <see cref="TouchInterval"/> ago.</summary>
    public async ValueTask RecordUseAsync(UserToken token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = token.LastUsedAt ?? DateTimeOffset.MinValue;
        var current = _touched.GetOrAdd(token.Id, stored);
        var last = current > stored ? current : stored;
        // TryUpdate lets one of several concurrent requests write; the others go on.
        if (now - last < TouchInterval || !_touched.TryUpdate(token.Id, now, current))
        {
            return;
        }
        if (_touched.Count > MaxEntries)
        {
            _touched.Clear();
        }
        try
        {
            await store.Tokens.TouchAsync(token.Id, now, cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            // A missed last-use time is not worth failing the request for.
            LogTouchFailed(ex, token.Id);
        }
    }

    private async Task<object?> LoadUserAsync(string hash, CancellationToken cancellationToken) =>
        await OwnerAsync(await store.Tokens.FindByHashAsync(hash, cancellationToken), cancellationToken);

    private async Task<object?> LoadUserByIdAsync(string tokenId, CancellationToken cancellationToken) =>
        await OwnerAsync(await store.Tokens.GetAsync(tokenId, cancellationToken), cancellationToken);

    private async Task<TokenOwner?> OwnerAsync(UserToken? token, CancellationToken cancellationToken)
    {
        var user = token is null ? null : await store.Users.GetAsync(token.User, cancellationToken);
        return user is null ? null : new TokenOwner(user, token!);
    }

    /// <param name="hash">The cache key: a token's hash, or "id:" and a token id.</param>
    private async ValueTask<object?> FindAsync(string hash, Func<string, CancellationToken, Task<object?>> lookUp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now)
        {
            return entry.Owner;
        }
        var generation = Interlocked.Read(ref _generation);
        var owner = await lookUp(hash, cancellationToken);
        lock (_forgetting)
        {
            if (_entries.Count > MaxEntries)
            {
                _entries.Clear();
            }
            if (_generation == generation)
            {
                _entries[hash] = (owner, now + _lifetime);
            }
        }
        return owner;
    }

    [LoggerMessage(1600, LogLevel.Warning, "Could not record the last use of token {TokenId}")]
    private partial void LogTouchFailed(Exception exception, string tokenId);
}
