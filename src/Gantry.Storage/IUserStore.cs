using Gantry.Core.Users;

namespace Gantry.Storage;

public interface IUserStore
{
    /// <summary>
    /// Creates the user and answers it as stored, with its new <see cref="User.Number"/>; throws
    /// <see cref="Core.Errors.ConflictException"/> if the name is taken.
    /// </summary>
    Task<User> CreateAsync(User user, CancellationToken cancellationToken);

    Task<User?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The user a token hash belongs to, or null.</summary>
    Task<User?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);
}
