namespace Gantry.Backends.Local;

/// <summary>
/// Whether a replica that ended with an exit code runs again, by its <c>restartPolicy</c>, as on a
/// cluster: <c>Always</c> restarts it whatever the code (the kubelet restarts the container even
/// after exit 0), <c>OnFailure</c> on a non-zero code, <c>ExitCode</c> only on the operator's
/// retryable codes (128 and above: killed by a signal), <c>Never</c> never. ReplicaLauncher's
/// shell applies the same rule so that a replica that will not run again ends on its own.
/// </summary>
internal static class RestartRule
{
    public const string Never = "Never";
    public const string OnFailure = "OnFailure";
    public const string Always = "Always";
    public const string ExitCode = "ExitCode";

    public static bool Restarts(string policy, int exitCode) => policy switch
    {
        Always => true,
        OnFailure => exitCode != 0,
        ExitCode => IsRetryable(exitCode),
        _ => false,
    };

    /// <summary>The operator's rule for <c>ExitCode</c>: 1-127 are the program's own failure, 128-255 a signal (OOM kill, preemption).</summary>
    public static bool IsRetryable(int exitCode) => exitCode >= 128;

    /// <summary>
    /// The operator's backoff check: the job fails once the restarts reach <c>backoffLimit</c>
    /// (any restart at all when it is 0); no limit when it is unset.
    /// </summary>
    public static bool ReachesBackoffLimit(int? backoffLimit, int restarts) => backoffLimit switch
    {
        null => false,
        0 => restarts > 0,
        { } limit => restarts >= limit,
    };
}
