using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gantry.Core.LocalRuns;

/// <summary>
/// Whether the local cluster can really run a job, worked out without I/O from the manifest and a
/// view of the gateway's machine. Locally the image is ignored and each container's command runs
/// with this machine's files, so a job meant for Kubernetes either crash-loops on a script that is
/// only inside its image or, with no command at all, "succeeds" at once having run nothing. Such a
/// job is not eligible for <c>local</c>, and the reason says which container and why.
/// </summary>
public static class LocalRunCheck
{
    private const string LocalScheme = "local://";
    private const string FileScheme = "file://";

    // Arguments named like these are scripts the command runs: they must exist where it runs.
    private static readonly string[] ScriptExtensions =
        [".py", ".sh", ".bash", ".jar", ".r", ".R", ".rb", ".pl", ".js", ".mjs", ".jl", ".lua", ".scala", ".ipynb", ".php"];

    // The option whose next argument is inline code (python -c, perl -e...), never a path.
    private static readonly string[] CodeOptions = ["-c", "-e", "--command", "--eval"];

    /// <summary>Why <paramref name="machine"/> cannot run the job, or null when it can (or the kind runs no image there).</summary>
    public static string? WhyNot(string kind, JsonObject manifest, LocalMachine machine) => kind switch
    {
        "PyTorchJob" => Training(manifest, "pytorchReplicaSpecs", ["Master", "Worker"], machine),
        "JAXJob" => Training(manifest, "jaxReplicaSpecs", ["Worker"], machine),
        "SparkApplication" => machine.SparkApplications ? Spark(manifest, machine) : null,
        // Locally a Job runs its first container's command only.
        "Job" => (manifest["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault() is { } first
            ? Container(first, machine)
            : null,
        // A Command job has no image to fall back on: its command fails visibly if it is missing.
        _ => null,
    };

    private static string? Training(JsonObject manifest, string field, string[] types, LocalMachine machine)
    {
        var map = manifest["spec"]?[field] as JsonObject ?? [];
        foreach (var type in types)
        {
            var replica = map.FirstOrDefault(e => e.Key.Equals(type, StringComparison.OrdinalIgnoreCase)).Value as JsonObject;
            foreach (var container in (replica?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Container(container, machine) is { } why)
                {
                    return why;
                }
            }
        }
        return null;
    }

    /// <summary>The container's command (and its script, if it names one) must be on this machine.</summary>
    private static string? Container(JsonObject container, LocalMachine machine)
    {
        var name = Text(container["name"]) ?? "?";
        var command = Strings(container["command"]);
        if (command.Count == 0 || command[0].Length == 0)
        {
            return $"container {name} has no command; its image's entrypoint cannot run here";
        }
        var workingDir = Text(container["workingDir"]) is { } dir && Path.IsPathRooted(dir) ? dir : null;
        var searchPath = LiteralEnv(container, "PATH") ?? machine.SearchPath;
        var program = command[0];
        if (program.Contains('/'))
        {
            if (Unrunnable(program, workingDir, machine, executable: true, name) is { } why)
            {
                return why;
            }
        }
        else if (!OnPath(program, searchPath, machine.Files))
        {
            return $"container {name} runs {program}, which is not on the PATH a job gets on the gateway's machine";
        }
        var arguments = command.Skip(1).Concat(Strings(container["args"])).ToList();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (CodeOptions.Contains(arguments[i], StringComparer.Ordinal))
            {
                i++;
            }
            else if (IsScript(arguments[i]) && Unrunnable(arguments[i], workingDir, machine, executable: false, name) is { } why)
            {
                return why;
            }
        }
        return null;
    }

    /// <summary>Why <paramref name="path"/> (relative to <paramref name="workingDir"/>) cannot be run, or null.</summary>
    private static string? Unrunnable(string path, string? workingDir, LocalMachine machine, bool executable, string container)
    {
        if (!Path.IsPathRooted(path) && workingDir is null)
        {
            return $"container {container} runs {path}, a relative path, but a job starts in its own new, empty directory on the gateway's machine";
        }
        var full = Path.GetFullPath(path, workingDir ?? "/");
        return machine.Files.Probe(full) switch
        {
            FileKind.Missing => $"container {container} runs {path}, which does not exist on the gateway's machine",
            FileKind.Directory => $"container {container} runs {path}, which is a directory on the gateway's machine",
            FileKind.File when executable => $"container {container} runs {path}, which is not executable on the gateway's machine",
            _ => null,
        };
    }

    private static bool OnPath(string program, string searchPath, IMachineFiles files) =>
        searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathRooted)
            .Any(dir => files.Probe(Path.Combine(dir, program)) == FileKind.Executable);

    /// <summary>An argument that names a script file: one word, not an option, with a script's extension.</summary>
    private static bool IsScript(string argument) =>
        argument.Length > 0
        && argument[0] != '-'
        && !argument.Any(c => char.IsWhiteSpace(c) || c is '=' or '(' or ')' or ';' or '\'' or '"' or '$' or '`')
        && !argument.Contains("://", StringComparison.Ordinal)
        && ScriptExtensions.Any(e => argument.EndsWith(e, StringComparison.Ordinal));

    /// <summary>
    /// spark-submit runs <c>mainApplicationFile</c>; a <c>local://</c> or scheme-less file must be on this
    /// machine (a remote URL is fetched by Spark).
    /// </summary>
    private static string? Spark(JsonObject manifest, LocalMachine machine)
    {
        var file = Text(manifest["spec"]?["mainApplicationFile"]);
        if (file is null)
        {
            return null;
        }
        var path = file.StartsWith(LocalScheme, StringComparison.Ordinal) ? file[LocalScheme.Length..]
            : file.StartsWith(FileScheme, StringComparison.Ordinal) ? file[FileScheme.Length..]
            : file.Contains("://", StringComparison.Ordinal) ? null
            : file;
        if (path is null)
        {
            return null;
        }
        if (!Path.IsPathRooted(path))
        {
            return $"the application file {file} is a relative path, but a job starts in its own new, empty directory on the gateway's machine";
        }
        return machine.Files.Probe(path) is FileKind.File or FileKind.Executable
            ? null
            : $"the application file {file} does not exist on the gateway's machine";
    }

    private static string? LiteralEnv(JsonObject container, string name) =>
        (container["env"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => Text(e["name"]) == name)
            .Select(e => Text(e["value"]))
            .LastOrDefault();

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => Text(n) ?? n?.ToJsonString() ?? "").ToList();

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
