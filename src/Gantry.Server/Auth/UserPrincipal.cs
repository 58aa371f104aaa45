using System.Security.Claims;

namespace Gantry.Server.Auth;

/// <summary>The principal of a user's request, the same whether a bearer token or a dashboard session carried it.</summary>
public static class UserPrincipal
{
    /// <param name="authenticationType">The scheme that authenticated it: <see cref="BearerTokenHandler.SchemeName"/> or <see cref="SessionCookie.Scheme"/>.</param>
    public static ClaimsPrincipal For(TokenOwner owner, string authenticationType) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, owner.User.Name),
            new Claim(ClaimTypes.Role, owner.User.Role.ToString()),
            new Claim(BearerTokenHandler.TokenIdClaim, owner.Token.Id),
            // Antiforgery binds its request tokens to this claim when present: the token id stays the
            // same for a session's life, where the role (also a claim) may change under it.
            new Claim(ClaimTypes.NameIdentifier, owner.Token.Id),
        ],
        authenticationType));
}
