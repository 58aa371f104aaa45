namespace Gantry.Server.Auth;

public static class GantryPolicies
{
    public const string Admin = "admin";
}
