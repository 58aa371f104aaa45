using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Store;

/// <summary>
/// How many custom resources were ever created per <c>gantry.io/job-id</c> label value, deleted ones
/// included: the store forgets a deleted object, and a test proving "one copy per job" must not.
/// </summary>
internal sealed class CreationLedger
{
    public const string JobIdLabel = "gantry.io/job-id";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _byJob = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="created"/> if it carries the job label; called under the store's write lock.</summary>
    public void Record(ResourceType type, JsonObject created)
    {
        if (!type.IsCustom || ObjectMeta.Text(created["metadata"]?["labels"]?[JobIdLabel]) is not { Length: > 0 } jobId)
        {
            return;
        }
        var what = $"{type.Kind} {created.Namespace()}/{created.Name()}";
        lock (_gate)
        {
            if (!_byJob.TryGetValue(jobId, out var list))
            {
                list = [];
                _byJob[jobId] = list;
            }
            list.Add(what);
        }
    }

    /// <summary>Every job id seen (or just <paramref name="jobId"/>, when given), in order, with what was created for it.</summary>
    public IReadOnlyList<(string JobId, IReadOnlyList<string> Resources)> Read(string? jobId = null)
    {
        lock (_gate)
        {
            return [.. _byJob
                .Where(e => jobId is null || e.Key == jobId)
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (e.Key, (IReadOnlyList<string>)[.. e.Value]))];
        }
    }
}
