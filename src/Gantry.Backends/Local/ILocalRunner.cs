using Gantry.Core.Jobs;

namespace Gantry.Backends.Local;

/// <summary>
/// How the local backend runs the jobs of some kinds (as the Kubernetes backend has a
/// <c>Workload</c> per kind): <see cref="ProcessRunner"/> one process group per job (Command,
/// SparkApplication), <see cref="ReplicaRunner"/> one per training replica or node.
/// </summary>
internal interface ILocalRunner
{
    /// <summary>The kinds it runs.</summary>
    IReadOnlySet<string> Kinds { get; }

    /// <summary>What the jobs it runs now hold of the machine.</summary>
    Core.Resources.Resources Reserved { get; }

    Task DispatchAsync(Job job, DispatchContext context, CancellationToken cancellationToken);

    /// <summary>Stops the job if it runs it; false when it does not (it never started here).</summary>
    bool Cancel(Job job);

    /// <summary>Takes back one active job after a gateway restart (re-attach, or report its fate).</summary>
    Task ResumeAsync(Job job, CancellationToken cancellationToken);

    Task CopyLogAsync(Job job, LogRequest request, Stream output, CancellationToken cancellationToken);
}
