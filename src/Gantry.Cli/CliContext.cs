using Gantry.Cli.Client;
using Spectre.Console;

namespace Gantry.Cli;

/// <summary>What every command needs from the outside world, replaceable in tests.</summary>
public sealed class CliContext(IAnsiConsole console, Func<string, string?> environment, Stream standardOutput)
{
    public IAnsiConsole Console { get; } = console;
    public Func<string, string?> Environment { get; } = environment;

    /// <summary>Raw output for logs, which are bytes rather than markup.</summary>
    public Stream StandardOutput { get; } = standardOutput;

    public GantryClient Client() => GantryClient.Create(ClientSettings.Load(Environment));

    public static CliContext System()
    {
        var console = AnsiConsole.Console;
        if (global::System.Console.IsOutputRedirected)
        {
            // Piped output is read by programs and people's scrollback: never wrap it at 80 columns.
            console.Profile.Width = 4096;
        }
        return new(console, global::System.Environment.GetEnvironmentVariable, global::System.Console.OpenStandardOutput());
    }
}
