using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry tokens create | list | revoke</c>: one's own tokens; an admin's, anyone's.</summary>
public static class TokensCommand
{
    public static Command Create(CliContext context) =>
        new("tokens", "Issue, list and revoke tokens (your own; an admin anyone's).")
        {
            TokensCreateCommand.Create(context),
            TokensListCommand.Create(context),
            TokensRevokeCommand.Create(context),
        };
}
