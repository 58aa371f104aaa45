namespace Gantry.Core.Users;

public sealed record User(string Name, Role Role, DateTimeOffset CreatedAt)
{
    public bool IsAdmin => Role == Role.Admin;

    /// <summary>
    /// The user's number, given by the store when the user is created (1, 2, ...) and never
    /// reused; the local backend runs the user's jobs as OS uid <c>Gantry:Local:JobUidBase</c> + number.
    /// 0 for a user not yet stored.
    /// </summary>
    public long Number { get; init; }
}
