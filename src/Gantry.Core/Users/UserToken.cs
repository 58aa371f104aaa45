namespace Gantry.Core.Users;

/// <summary>
/// What is known about a user's bearer token besides its secret: the public id it is listed and
/// revoked by, what it is for, when it was made, when it expires (null: never) and when it was
/// last used (null: never, or not yet recorded; recorded at most once a minute).
/// </summary>
public sealed record UserToken(
    string Id, string User, string Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt)
{
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}
