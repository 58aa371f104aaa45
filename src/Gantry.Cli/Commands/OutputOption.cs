using System.CommandLine;
using System.Text.Json;
using Gantry.Cli.Client;

namespace Gantry.Cli.Commands;

/// <summary><c>-o json</c>: the API's answer as JSON on standard output, for scripts, instead of a table.</summary>
public static class OutputOption
{
    public static Option<string?> Create() => new("--output", "-o")
    {
        Description = "json prints the API's answer as JSON instead of a table.",
        CustomParser = result =>
        {
            var value = result.Tokens.Count == 0 ? null : result.Tokens[0].Value;
            if (value is not null and not "json")
            {
                result.AddError($"-o '{value}' is not an output format; the one there is: json.");
            }
            return value;
        },
    };

    public static async Task WriteAsync<T>(CliContext context, T value, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(context.StandardOutput, value, Indented, cancellationToken);
        await context.StandardOutput.WriteAsync("\n"u8.ToArray(), cancellationToken);
        await context.StandardOutput.FlushAsync(cancellationToken);
    }

    private static readonly JsonSerializerOptions Indented = new(GantryClient.Json) { WriteIndented = true };
}
