using System.Text;
using Gantry.Testing;
using Spectre.Console;

namespace Gantry.Cli.Tests;

/// <summary>Runs `gantry ...` in-process against a test gateway and captures what it prints.</summary>
public sealed class CliRunner(TestGateway gateway, string? token = null)
{
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "gantry-cli-home-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = 400;
        using var raw = new MemoryStream();
        var env = new Dictionary<string, string?>
        {
            ["GANTRY_URL"] = gateway.Url,
            ["GANTRY_TOKEN"] = token ?? gateway.AdminToken,
            ["GANTRY_HOME"] = Home,
        };
        var code = await CliApp.RunAsync(args, new CliContext(console, name => env.GetValueOrDefault(name), raw));
        return (code, text + Encoding.UTF8.GetString(raw.ToArray()));
    }
}
