using System.Text.RegularExpressions;

namespace Gantry.Core.Users;

public static partial class UserRules
{
    // User names end up in Kubernetes labels and namespaces: keep them label-safe.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9._]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);
}
