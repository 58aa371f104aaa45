using Gantry.Core.Resources;

namespace Gantry.Core.Scheduling;

/// <summary>Puts reasons in the words a data scientist reads: which cluster, what is missing, how much.</summary>
public static class ReasonText
{
    public static string Wait(WaitReason reason)
    {
        var text = reason.Code switch
        {
            ReasonCode.QuotaExceeded when reason.Quota is { } q =>
                $"queue {reason.Queue} is at its {q.Resource} quota: {Amount(q.Resource, q.Held)}/{Amount(q.Resource, q.Limit)} held, the job needs {Amount(q.Resource, q.Needed)}",
            ReasonCode.CapacityReserved =>
                $"{reason.Cluster} has room, but it is held for job {reason.HeldFor}, which has waited longer",
            ReasonCode.NodeFit =>
                $"{Among(reason)}{reason.Cluster} has room in total but no single node has room for one of its pods",
            ReasonCode.Insufficient =>
                $"{Among(reason)}{reason.Cluster} {FitCheck.Shortfall(reason.Needed, reason.Free) ?? "is full"}",
            ReasonCode.Cordoned => reason.Allowed == 1 ? $"cluster {reason.Cluster} is cordoned" : "every cluster it may use is cordoned or unhealthy",
            ReasonCode.Unhealthy => reason.Allowed == 1 ? $"cluster {reason.Cluster} is unhealthy" : "every cluster it may use is unhealthy",
            ReasonCode.CannotRun => $"no cluster it may use can run it; {reason.Refusals}",
            _ => reason.Code.ToString(),
        };
        return reason.ReservedOn is null ? text : $"{text}; capacity is being held for it on {reason.ReservedOn}";
    }

    public static string Verdict(ClusterVerdict verdict) => verdict.Code switch
    {
        null => "fits",
        ReasonCode.CapacityReserved => $"fits, but the room is held for job {verdict.HeldFor}",
        ReasonCode.NodeFit => "enough free in total, but no node has room for one of its pods",
        ReasonCode.Insufficient => FitCheck.Shortfall(verdict.Needed, verdict.Free) ?? "full",
        ReasonCode.Cordoned => "cordoned",
        ReasonCode.Unhealthy => "unhealthy",
        ReasonCode.TooLarge => "too small for it even when empty: " + (FitCheck.Shortfall(verdict.Needed, verdict.Free, "in total") ?? "a pod is bigger than every node"),
        ReasonCode.CannotRun => verdict.Why ?? "cannot run it",
        var code => code.ToString()!,
    };

    public static string Amount(string resource, long amount) => resource switch
    {
        "cpu" => Quantity.FormatCpu(amount),
        "memory" => Quantity.FormatBytes(amount),
        _ => amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Among(WaitReason reason) =>
        reason.Allowed > 1 ? $"none of the {reason.Allowed} clusters it may use has room; closest: " : "";
}
