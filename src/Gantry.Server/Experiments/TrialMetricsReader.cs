using System.Globalization;
using System.Text;
using Gantry.Backends;
using Gantry.Core.Jobs;
using Gantry.Core.Tuning;
using Gantry.Core.Tuning.Observations;
using Gantry.Server.Clusters;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Experiments;

/// <summary>
/// A trial's reported metrics, oldest first: those pushed to the metrics API (any collector: a
/// trial that pushes is read whatever its template says), and, for the StdOut collector, those
/// Katib's TEXT format finds in the job's log. The log is read once the job has ended, and while
/// it runs only when median stopping needs the values as they come.
/// </summary>
public sealed class TrialMetricsReader(IGantryStore store, BackendRegistry backends, IOptions<GantryOptions> options, TimeProvider time)
{
    private const int MaxLogLines = 100_000;

    public async Task<IReadOnlyList<MetricLog>> ReadAsync(Experiment spec, Job job, CancellationToken cancellationToken)
    {
        var names = spec.Objective.AllMetricNames;
        var pushed = await store.Metrics.ListAsync(job.Id, null, cancellationToken);
        // By step (then time) within each name: the order the values were reported in.
        var logs = pushed
            .Where(o => names.Contains(o.Name))
            .Select(o => new MetricLog(o.Name, o.Value.ToString("R", CultureInfo.InvariantCulture), o.Timestamp))
            .ToList();
        var ended = job.State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
        var running = job.State is JobState.Running;
        if (spec.MetricsCollector.Kind == CollectorKind.StdOut && job.Cluster is not null && (ended || (running && spec.EarlyStopping is not null)))
        {
            var lines = await LogLinesAsync(job, cancellationToken);
            var parsed = StdOutMetricsParser.Parse(lines, names, spec.MetricsCollector.MetricsFormat, job.FinishedAt ?? time.GetUtcNow());
            logs.AddRange(parsed.Where(m => m.Value != MetricLog.Unavailable));
        }
        return logs;
    }

    private async Task<IReadOnlyList<string>> LogLinesAsync(Job job, CancellationToken cancellationToken)
    {
        using var buffer = new CappedBuffer(options.Value.Experiments.MaxLogBytes);
        try
        {
            var backend = await backends.ForClusterAsync(job.Cluster!, cancellationToken);
            await backend.Logs.CopyLogAsync(job, new LogRequest(Follow: false, Tail: MaxLogLines), buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is LogsGoneException or UnknownReplicaException or IOException or HttpRequestException or Core.Errors.GantryException)
        {
            // No log (gone, or the cluster does not answer): what was pushed is all there is.
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Split('\n');
    }

    /// <summary>A memory stream that keeps the first <c>capacity</c> bytes and drops the rest, so a huge log costs bounded memory.</summary>
    private sealed class CappedBuffer(int capacity) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => base.Write(buffer, offset, Math.Max(0, Math.Min(count, capacity - (int)Length)));

        public override void Write(ReadOnlySpan<byte> buffer) => base.Write(buffer[..Math.Max(0, Math.Min(buffer.Length, capacity - (int)Length))]);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
