using Gantry.Core.Errors;
using Gantry.Core.Users;
using Gantry.Storage;

namespace Gantry.Server.Identity;

/// <summary>
/// Gantry users as identity providers name them: a user an OIDC issuer, Kubeflow's gateway or a
/// Profile names is created at first sight, as a plain user. Admin rights from a group are never
/// stored: they last while the provider says so (<see cref="Options.IdentityOptions.AdminGroup"/>).
/// </summary>
public sealed class UserDirectory(IGantryStore store, TimeProvider time)
{
    public async Task<User> EnsureAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.Users.GetAsync(name, cancellationToken) is { } existing)
        {
            return existing;
        }
        try
        {
            return await store.Users.CreateAsync(new User(name, Role.User, time.GetUtcNow()), cancellationToken);
        }
        catch (ConflictException)
        {
            // Another request (or replica) created them first.
            return await store.Users.GetAsync(name, cancellationToken) ?? throw new InvalidOperationException($"User '{name}' vanished while being created.");
        }
    }

    /// <summary>An identity provider's user name as a Gantry user name (lower-cased), or null when it cannot be one.</summary>
    public static string? NameFrom(string? provided)
    {
        var name = provided?.Trim().ToLowerInvariant();
        return UserRules.IsValidName(name) ? name : null;
    }
}
