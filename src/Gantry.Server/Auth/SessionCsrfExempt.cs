namespace Gantry.Server.Auth;

/// <summary>
/// Endpoint metadata: the cookie does not authorize this endpoint, so <see cref="SessionCsrf"/> does
/// not ask it for a CSRF token (signing in, which authenticates with the token in its body and guards
/// against other origins itself).
/// </summary>
public sealed class SessionCsrfExempt;
