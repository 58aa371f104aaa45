namespace Gantry.Server.Api;

/// <summary>
/// A newly issued token: its public <see cref="Id"/> (to list and revoke it by), the secret
/// <see cref="Token"/> shown this once and never again, when it expires (null: never), and whose it is.
/// </summary>
public sealed record IssuedTokenDto(string Id, string Token, DateTimeOffset? ExpiresAt, UserDto User);
