using Gantry.Core.Users;
using Gantry.Server.Api;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Auth;

/// <summary>
/// Issues users' tokens: a random secret shown once, stored only as its hash, under a public id,
/// with an expiry within <c>Gantry:Tokens:MaxLifetimeDays</c>.
/// </summary>
public sealed class TokenIssuer(IGantryStore store, TimeProvider time, IOptions<GantryOptions> options)
{
    /// <summary>
    /// When a token asked to live <paramref name="expiresIn"/> (<c>30d</c>) from now expires, or with the
    /// configured default lifetime when <paramref name="expiresIn"/> is null (null: never); a 400 naming
    /// <c>expiresIn</c> when it cannot be read or passes <c>Gantry:Tokens:MaxLifetimeDays</c>.
    /// </summary>
    public DateTimeOffset? ExpiresAt(string? expiresIn)
    {
        var tokens = options.Value.Tokens;
        if (expiresIn is null)
        {
            return tokens.DefaultLifetimeDays > 0 ? time.GetUtcNow().AddDays(tokens.DefaultLifetimeDays) : null;
        }
        return TokenLifetime.TryParse(expiresIn, TimeSpan.FromDays(tokens.MaxLifetimeDays), out var lifetime, out var problem)
            ? time.GetUtcNow() + lifetime
            : throw RequestException.BadField("expiresIn", problem);
    }

    /// <summary>Issues a token for <paramref name="user"/> (who must exist) and answers it with its secret, this once.</summary>
    public async Task<(UserToken Token, string Secret)> IssueAsync(string user, DateTimeOffset? expiresAt, string description, CancellationToken cancellationToken)
    {
        var secret = ApiToken.New();
        var now = time.GetUtcNow();
        // Milliseconds, as the store keeps them, so the answer and a later list agree.
        var token = new UserToken(ApiToken.NewId(), user, description, Truncate(now), expiresAt is null ? null : Truncate(expiresAt.Value), null);
        await store.Tokens.AddAsync(token, ApiToken.Hash(secret), cancellationToken);
        return (token, secret);
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
