using System.Text.RegularExpressions;

namespace Gantry.Core.Users;

public static partial class UserRules
{
    // User names end up in Kubernetes labels and namespaces (sanitised there): keep them close to
    // label-safe. One '@' is allowed so that an identity provider's e-mail address (OIDC's email
    // claim, Kubeflow's kubeflow-userid, a Profile's owner) can be the Gantry user name as it is.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9._+]{0,61}[a-z0-9])?(@[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)?$")]
    private static partial Regex NamePattern();

    /// <summary>The rule as a sentence, for error messages.</summary>
    public const string NameRule = "must be lower-case letters, digits, '-', '.', '_' or '+', starting and ending with a letter or digit (1-63 characters), optionally followed by '@' and a domain (an e-mail address)";

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);
}
