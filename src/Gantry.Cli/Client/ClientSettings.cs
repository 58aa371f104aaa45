using System.Text.Json;

namespace Gantry.Cli.Client;

/// <summary>
/// Where the gateway is and which token to send: GANTRY_URL and GANTRY_TOKEN, else
/// ~/.gantry/config (JSON: {"url": ..., "token": ...}, shared with the Python SDK), else the
/// local defaults: http://127.0.0.1:8080 and the admin token `gantry serve` left in the data dir.
/// </summary>
public sealed record ClientSettings(string Url, string? Token)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    // The Python SDK reads the same file: lower-case keys.
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web);

    public static string GantryHome(Func<string, string?> env) =>
        env("GANTRY_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gantry");

    public static string ConfigPath(Func<string, string?> env) => Path.Combine(GantryHome(env), "config");

    public static ClientSettings Load(Func<string, string?> env)
    {
        var file = ReadConfig(ConfigPath(env));
        var url = env("GANTRY_URL") ?? file?.Url ?? DefaultUrl;
        var token = env("GANTRY_TOKEN") ?? file?.Token ?? LocalAdminToken(env);
        return new ClientSettings(url.TrimEnd('/'), token);
    }

    public static void Save(Func<string, string?> env, ClientSettings settings)
    {
        var path = ConfigPath(env);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new ConfigFile { Url = settings.Url, Token = settings.Token }, FileJson));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static ConfigFile? ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ConfigFile>(File.ReadAllText(path), FileJson);
        }
        catch (JsonException ex)
        {
            throw new CliException($"{path} is not valid JSON ({ex.Message}); expected {{\"url\": \"...\", \"token\": \"...\"}}.");
        }
    }

    /// <summary>On the machine that runs `gantry serve`, its admin token is a convenient default.</summary>
    private static string? LocalAdminToken(Func<string, string?> env)
    {
        var dataDir = env("GANTRY_DATA_DIR") ?? GantryHome(env);
        var path = Path.Combine(dataDir, "admin.token");
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed class ConfigFile
    {
        public string? Url { get; set; }
        public string? Token { get; set; }
    }
}
