using Gantry.Core.Users;

namespace Gantry.Server.Api;

/// <summary>
/// A token as listed: never its secret or hash. <see cref="LastUsedAt"/> is written at most once a
/// minute, so it may lag by that much; <see cref="Current"/> marks the token of the request itself.
/// </summary>
public sealed record TokenDto(
    string Id, string User, string Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, bool Expired, bool Current)
{
    public static TokenDto From(UserToken token, DateTimeOffset now, string? currentId) =>
        new(token.Id, token.User, token.Description, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, token.IsExpired(now), token.Id == currentId);
}
