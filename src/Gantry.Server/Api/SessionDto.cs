namespace Gantry.Server.Api;

/// <summary>
/// A signed-in caller as <c>/api/v1/session</c> answers it: the user, the id of the token that
/// signed in, when the session ends (null: with the token, which never expires), and the request
/// token that unsafe calls carried by the cookie send as <c>X-CSRF-Token</c> (null for a bearer caller).
/// </summary>
public sealed record SessionDto(UserDto User, string TokenId, DateTimeOffset? ExpiresAt, string? CsrfToken);
