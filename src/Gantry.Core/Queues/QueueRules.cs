using System.Text.RegularExpressions;
using Gantry.Core.Labels;
using Gantry.Core.Validation;

namespace Gantry.Core.Queues;

/// <summary>What makes a queue definition valid, checked in full so every problem is reported at once.</summary>
public static partial class QueueRules
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    /// <summary>Group names come from identity providers (Kubernetes, OIDC, Kubeflow), whose rules differ: only the length is bounded.</summary>
    public const int MaxGroupLength = 256;

    public static void Validate(Queue queue, ValidationErrors errors)
    {
        if (!IsValidName(queue.Name))
        {
            errors.Add("name", "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
        }
        if (!(queue.Weight > 0) || double.IsInfinity(queue.Weight))
        {
            errors.Add("weight", "must be a number greater than 0");
        }
        if (queue.Quota.CpuMillis < 0)
        {
            errors.Add("quota.cpu", "must not be negative");
        }
        if (queue.Quota.MemoryBytes < 0)
        {
            errors.Add("quota.memory", "must not be negative");
        }
        if (queue.Quota.Gpu < 0)
        {
            errors.Add("quota.gpu", "must not be negative");
        }
        if (queue.Quota.RunningJobs < 0)
        {
            errors.Add("quota.runningJobs", "must not be negative");
        }
        foreach (var (key, value) in queue.ClusterSelector)
        {
            LabelRules.Validate(key, value, $"clusterSelector.{key}", errors);
        }
        foreach (var (key, value) in queue.Affinity)
        {
            LabelRules.Validate(key, value, $"affinity.{key}", errors);
        }
        for (var i = 0; i < queue.AllowedUsers.Count; i++)
        {
            if (!Users.UserRules.IsValidName(queue.AllowedUsers[i]))
            {
                errors.Add($"allowedUsers[{i}]", $"'{queue.AllowedUsers[i]}' {Users.UserRules.NameRule}");
            }
        }
        for (var i = 0; i < queue.AllowedGroups.Count; i++)
        {
            if (queue.AllowedGroups[i] is not { Length: > 0 and <= MaxGroupLength } group || group.Any(char.IsControl) || group.Trim() != group)
            {
                errors.Add($"allowedGroups[{i}]", $"must be 1-{MaxGroupLength} characters without control characters or surrounding spaces");
            }
        }
    }
}
