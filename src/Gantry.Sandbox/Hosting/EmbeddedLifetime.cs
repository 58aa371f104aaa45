using Microsoft.Extensions.Hosting;

namespace Gantry.Sandbox.Hosting;

/// <summary>
/// The API server's host lifetime: none of the process's. The default console lifetime would
/// register for SIGINT/SIGTERM in every simulated cluster, and disposing those registrations while
/// the process handles the very signal (as <c>gantry sandbox</c> does when stopping its clusters on
/// SIGTERM) hangs. Whoever embeds the cluster decides when it stops.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
