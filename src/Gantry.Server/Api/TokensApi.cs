using System.Security.Claims;
using Gantry.Core.Audit;
using Gantry.Core.Errors;
using Gantry.Core.Users;
using Gantry.Server.Audit;
using Gantry.Server.Auth;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/tokens</c>: POST / issues a token (one's own; an admin's for anyone), GET / lists
/// one's own tokens (an admin anyone's with <c>?user=</c>), DELETE /{id} revokes one at once. A
/// token is listed and revoked by its id; its secret is shown only in the answer that issues it.
/// Another user's token is a 404, as another user's job is.
/// </summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapPost("/", CreateAsync).WithName("IssueToken")
            .WithSummary("Issue a token: {user?, expiresIn?, description?}; answers {id, token, expiresAt, user}, the only time the secret is shown. A user issues their own; an admin anyone's.")
            .Accepts<CreateTokenRequest>("application/json").Produces<IssuedTokenDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        tokens.MapGet("/", ListAsync).WithName("ListTokens")
            .WithSummary("The caller's tokens (an admin: ?user=NAME for anyone's): id, description, created, expiresAt, lastUsedAt; never a secret.")
            .Produces<TokenListDto>().ProducesProblem(StatusCodes.Status403Forbidden);
        tokens.MapGet("/{id}", GetAsync).WithName("GetToken")
            .WithSummary("One token by id (one's own; an admin anyone's); never its secret.")
            .Produces<TokenDto>().ProducesProblem(StatusCodes.Status404NotFound);
        tokens.MapDelete("/{id}", RevokeAsync).WithName("RevokeToken")
            .WithSummary("Revoke a token by id, effective from the next request (on other replicas within Gantry:Tokens:CacheSeconds). One's own; an admin anyone's.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Created<IssuedTokenDto>> CreateAsync(
        HttpRequest request, ClaimsPrincipal principal, IGantryStore store, TokenIssuer issuer, AuditTrail audit, IOptions<GantryOptions> options,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal);
        var asked = TokenRequestReader.Read(await RequestBody.ReadAsync(request, options.Value.Limits.MaxBodyBytes, cancellationToken), options.Value.Limits.Document);
        var name = asked.User ?? caller.Name;
        if (name != caller.Name && !caller.IsAdmin)
        {
            throw new ForbiddenException("Only an admin may issue another user's token.");
        }
        var expiresAt = issuer.ExpiresAt(asked.ExpiresIn);
        var user = await store.Users.GetAsync(name, cancellationToken) ?? throw new NotFoundException("User", name);
        if (!caller.IsAdmin)
        {
            expiresAt = await WithinOwnTokenAsync(principal, store, expiresAt, asked.ExpiresIn is not null, cancellationToken);
        }
        var description = asked.Description ?? (name == caller.Name ? "issued by its user" : $"issued by {caller.Name}");
        var (token, secret) = await issuer.IssueAsync(user.Name, expiresAt, description, cancellationToken);
        await audit.RecordAsync(principal, AuditActions.TokenCreate, token.Id, TokenDetail(token));
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", Issued(token, secret, user));
    }

    /// <summary>
    /// A user's new token may not outlive the token that asks for it: otherwise a stolen token about to
    /// expire could mint one that never does. Asked for explicitly, that is a 400; by default, the new
    /// token simply expires with the old.
    /// </summary>
    private static async Task<DateTimeOffset?> WithinOwnTokenAsync(
        ClaimsPrincipal principal, IGantryStore store, DateTimeOffset? expiresAt, bool asked, CancellationToken cancellationToken)
    {
        var currentId = principal.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value;
        if (currentId is null && principal.FindFirst(Identity.IdentityPrincipal.SourceClaim) is not null)
        {
            // A service-account token lives an hour, a header as long as the request: a Gantry token
            // minted on their strength would outlive what the identity provider vouched for.
            throw new ForbiddenException(
                "Signed in through an identity provider (service-account token, OIDC or the gateway's header), you cannot mint a Gantry token; ask an admin (gantry tokens create --user NAME).");
        }
        var current = currentId is null ? null : await store.Tokens.GetAsync(currentId, cancellationToken);
        if (current?.ExpiresAt is not { } limit || (expiresAt is { } wanted && wanted <= limit))
        {
            return expiresAt;
        }
        return asked
            ? throw RequestException.BadField("expiresIn", $"must not outlive the token making this request, which expires at {limit:u}")
            : limit;
    }

    private static async Task<Ok<TokenListDto>> ListAsync(
        HttpRequest request, ClaimsPrincipal principal, IGantryStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal);
        var name = QueryReader.String(request, "user") ?? caller.Name;
        if (name != caller.Name)
        {
            if (!caller.IsAdmin)
            {
                throw new ForbiddenException("Only an admin may list another user's tokens.");
            }
            _ = await store.Users.GetAsync(name, cancellationToken) ?? throw new NotFoundException("User", name);
        }
        var currentId = principal.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value;
        var now = time.GetUtcNow();
        var tokens = await store.Tokens.ListAsync(name, cancellationToken);
        return TypedResults.Ok(new TokenListDto(tokens.Select(t => TokenDto.From(t, now, currentId)).ToList()));
    }

    private static async Task<Ok<TokenDto>> GetAsync(string id, ClaimsPrincipal principal, IGantryStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = await VisibleAsync(id, Caller.From(principal), store, cancellationToken);
        return TypedResults.Ok(TokenDto.From(token, time.GetUtcNow(), principal.FindFirst(BearerTokenHandler.TokenIdClaim)?.Value));
    }

    private static async Task<NoContent> RevokeAsync(
        string id, ClaimsPrincipal principal, IGantryStore store, TokenCache cache, AuditTrail audit, CancellationToken cancellationToken)
    {
        var token = await VisibleAsync(id, Caller.From(principal), store, cancellationToken);
        if (!await store.Tokens.RevokeAsync(id, cancellationToken))
        {
            // Revoked meanwhile by another request.
            throw new NotFoundException("Token", id);
        }
        cache.Forget(id);
        await audit.RecordAsync(principal, AuditActions.TokenRevoke, id, $"{token.User}'s token \"{token.Description}\"");
        return TypedResults.NoContent();
    }

    /// <summary>Another user's token is as invisible as another user's job: the same 404 as no token at all.</summary>
    private static async Task<UserToken> VisibleAsync(string id, Caller caller, IGantryStore store, CancellationToken cancellationToken)
    {
        var token = await store.Tokens.GetAsync(id, cancellationToken);
        return token is not null && (caller.IsAdmin || token.User == caller.Name) ? token : throw new NotFoundException("Token", id);
    }

    internal static IssuedTokenDto Issued(UserToken token, string secret, User user) =>
        new(token.Id, secret, token.ExpiresAt, new UserDto(user.Name, user.Role.ToString().ToLowerInvariant()));

    internal static string TokenDetail(UserToken token) =>
        $"for {token.User}, {(token.ExpiresAt is { } at ? $"expires {at:u}" : "never expires")}: \"{token.Description}\"";
}
