namespace Gantry.Server.Api;

/// <summary>
/// <c>POST /api/v1/tokens</c> (every field optional; an empty body will do): whose token (admins only
/// may name another user), how long it lives (<c>30m</c>, <c>12h</c>, <c>30d</c>), and what it is for.
/// </summary>
public sealed record CreateTokenRequest(string? User, string? ExpiresIn, string? Description);
