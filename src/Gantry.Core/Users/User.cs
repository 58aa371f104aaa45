namespace Gantry.Core.Users;

public sealed record User(string Name, Role Role, DateTimeOffset CreatedAt)
{
    public bool IsAdmin => Role == Role.Admin;
}
