using System.CommandLine;
using Gantry.Cli.Client;
using Gantry.Server.Api;

namespace Gantry.Cli.Commands;

/// <summary>
/// The options <c>gantry queues create</c> and <c>set</c> share, and the request body they make:
/// the body of <c>POST /queues</c> and <c>PUT /queues/{name}</c> (docs/scheduling.md). The server
/// validates every field; the CLI only shapes what was typed.
/// </summary>
public sealed class QueueArguments
{
    public Option<double?> Weight { get; } = new("--weight") { Description = "The queue's share of contended capacity relative to other queues (default 1)." };
    public Option<int?> Priority { get; } = new("--priority") { Description = "Queues of higher priority are served first (default 0)." };
    public Option<string?> Cpu { get; } = new("--cpu") { Description = "Quota: CPU its started jobs may hold, e.g. 32 or 500m; 'none' removes the limit." };
    public Option<string?> Memory { get; } = new("--memory") { Description = "Quota: memory, e.g. 128Gi; 'none' removes the limit." };
    public Option<string?> Gpu { get; } = new("--gpu") { Description = "Quota: GPUs; 'none' removes the limit." };
    public Option<string?> RunningJobs { get; } = new("--running-jobs") { Description = "Quota: jobs started at once; 'none' removes the limit." };
    public Option<string[]> Selector { get; } = new("--selector") { Description = "A cluster label k=v the queue's jobs require (k- removes it), repeatable." };
    public Option<string[]> Affinity { get; } = new("--affinity") { Description = "A cluster label k=v the LabelAffinity policy prefers (k- removes it), repeatable." };
    public Option<string?> Policy { get; } = new("--policy") { Description = "LeastLoaded (default), BestFit or LabelAffinity." };
    public Option<string[]> AllowUser { get; } = new("--allow-user") { Description = "A user who may submit (NAME- removes them), repeatable. With no allowed users or groups, everyone may." };
    public Option<string[]> AllowGroup { get; } = new("--allow-group") { Description = "A group whose members may submit (NAME- removes it), repeatable." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Weight, Priority, Cpu, Memory, Gpu, RunningJobs, Selector, Affinity, Policy, AllowUser, AllowGroup })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The body for <paramref name="name"/>: <paramref name="existing"/>'s settings (for <c>set</c>) changed by what was typed.</summary>
    public object Body(ParseResult parse, string name, QueueDto? existing)
    {
        var quota = existing?.Quota ?? new QuotaDto(null, null, null, null);
        return new
        {
            name,
            weight = parse.GetValue(Weight) ?? existing?.Weight ?? 1,
            priority = parse.GetValue(Priority) ?? existing?.Priority ?? 0,
            quota = new
            {
                cpu = Limit(parse.GetValue(Cpu), quota.Cpu),
                memory = Limit(parse.GetValue(Memory), quota.Memory),
                gpu = Limit(parse.GetValue(Gpu), quota.Gpu?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                runningJobs = Count(parse.GetValue(RunningJobs), quota.RunningJobs),
            },
            clusterSelector = Labels(parse.GetValue(Selector), existing?.ClusterSelector),
            affinity = Labels(parse.GetValue(Affinity), existing?.Affinity),
            policy = parse.GetValue(Policy) ?? existing?.Policy ?? "LeastLoaded",
            allowedUsers = Names(parse.GetValue(AllowUser), existing?.AllowedUsers),
            allowedGroups = Names(parse.GetValue(AllowGroup), existing?.AllowedGroups),
        };
    }

    private static string? Limit(string? typed, string? current) =>
        typed is null ? current : string.Equals(typed, "none", StringComparison.OrdinalIgnoreCase) ? null : typed;

    private static int? Count(string? typed, int? current)
    {
        if (typed is null)
        {
            return current;
        }
        if (string.Equals(typed, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return int.TryParse(typed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CliException($"--running-jobs '{typed}' is not a whole number (or 'none').");
    }

    /// <summary>The current names with the typed ones added, and those typed with a trailing '-' removed.</summary>
    private static List<string> Names(string[]? typed, IReadOnlyList<string>? current)
    {
        var names = new List<string>(current ?? []);
        foreach (var name in typed ?? [])
        {
            if (name.Length > 1 && name.EndsWith('-'))
            {
                names.Remove(name[..^1]);
            }
            else if (!names.Contains(name))
            {
                names.Add(name);
            }
        }
        return names;
    }

    private static Dictionary<string, string> Labels(string[]? typed, IReadOnlyDictionary<string, string>? current)
    {
        var labels = new Dictionary<string, string>(current ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in LabelArguments.Parse(typed ?? [], allowRemoval: true))
        {
            if (value is null)
            {
                labels.Remove(key);
            }
            else
            {
                labels[key] = value;
            }
        }
        return labels;
    }
}
