namespace Gantry.Core.Users;

public enum Role
{
    User,
    Admin,
}
