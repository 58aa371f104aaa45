using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Audit;
using Gantry.Core.Errors;
using Gantry.Core.Kinds;
using Gantry.Core.Users;
using Gantry.Core.Validation;
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
/// <c>/api/v1/users</c> (admin): GET /, POST / (creates a user and its first token),
/// POST /{name}/tokens (kept for older clients; <see cref="TokensApi"/> does more).
/// <c>/api/v1/whoami</c> for everyone. A token is shown once, here; only its hash is stored.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/whoami", (HttpContext http) => TypedResults.Ok(UserDto.From(Caller.From(http.User))))
            .WithTags("Users").WithName("WhoAmI").WithSummary("The user the token belongs to.");
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(GantryPolicies.Admin);
        users.MapGet("/", ListAsync).WithName("ListUsers");
        users.MapPost("/", CreateAsync).WithName("CreateUser").WithSummary("Create a user ({name, role}) and its first token.")
            .Accepts<CreateUserRequest>("application/json").Produces<IssuedTokenDto>(StatusCodes.Status201Created);
        users.MapPost("/{name}/tokens", CreateTokenAsync).WithName("CreateToken")
            .WithSummary("Issue another token for the user, with the default lifetime (POST /api/v1/tokens takes expiresIn and a description).")
            .Produces<IssuedTokenDto>(StatusCodes.Status201Created);
        return api;
    }

    private static async Task<Ok<UserListDto>> ListAsync(IGantryStore store, CancellationToken cancellationToken)
    {
        var users = await store.Users.ListAsync(cancellationToken);
        return TypedResults.Ok(new UserListDto(users.Select(u => new UserDto(u.Name, u.Role.ToString().ToLowerInvariant())).ToList()));
    }

    private static async Task<Created<IssuedTokenDto>> CreateAsync(
        HttpRequest request, IGantryStore store, IOptions<GantryOptions> options, TimeProvider time, TokenIssuer issuer, AuditTrail audit, CancellationToken cancellationToken)
    {
        var root = await ReadObjectAsync(request, options.Value.Limits, cancellationToken);
        var errors = new ValidationErrors();
        var read = new ManifestReader(errors);
        var name = read.String(root, "", "name", required: true);
        if (name is not null && !UserRules.IsValidName(name))
        {
            errors.Add("name", UserRules.NameRule);
        }
        var roleText = read.String(root, "", "role") ?? "user";
        if (roleText is not ("user" or "admin"))
        {
            errors.Add("role", "must be 'user' or 'admin'");
        }
        errors.ThrowIfAny("The user has invalid fields.");
        var user = new User(name!, roleText == "admin" ? Role.Admin : Role.User, time.GetUtcNow());
        await store.Users.CreateAsync(user, cancellationToken);
        var (token, secret) = await issuer.IssueAsync(user.Name, issuer.ExpiresAt(null), "first token", cancellationToken);
        await audit.RecordAsync(request.HttpContext.User, AuditActions.UserCreate, user.Name, $"role {roleText}");
        await audit.RecordAsync(request.HttpContext.User, AuditActions.TokenCreate, token.Id, TokensApi.TokenDetail(token));
        return TypedResults.Created($"/api/v1/users/{user.Name}", TokensApi.Issued(token, secret, user));
    }

    private static async Task<Created<IssuedTokenDto>> CreateTokenAsync(
        string name, ClaimsPrincipal principal, IGantryStore store, TokenIssuer issuer, AuditTrail audit, CancellationToken cancellationToken)
    {
        var user = await store.Users.GetAsync(name, cancellationToken) ?? throw new NotFoundException("User", name);
        var (token, secret) = await issuer.IssueAsync(name, issuer.ExpiresAt(null), "issued by an admin", cancellationToken);
        await audit.RecordAsync(principal, AuditActions.TokenCreate, token.Id, TokensApi.TokenDetail(token));
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", TokensApi.Issued(token, secret, user));
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpRequest request, LimitsOptions limits, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, limits.MaxBodyBytes, cancellationToken);
        return JsonBody.Object(body, "the user", limits.Document);
    }
}

public sealed record UserDto(string Name, string Role)
{
    public static UserDto From(Caller caller) => new(caller.Name, caller.Role.ToString().ToLowerInvariant());
}

public sealed record UserListDto(IReadOnlyList<UserDto> Items);

public sealed record CreateUserRequest(string Name, string? Role = "user");
