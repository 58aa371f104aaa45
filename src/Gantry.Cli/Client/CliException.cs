namespace Gantry.Cli.Client;

/// <summary>An error to show the user as it is, without a stack trace, ending the command with <see cref="ExitCode"/>.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
