using Gantry.Sandbox.Hosting;
using Microsoft.Extensions.Logging;

namespace Gantry.Sandbox.Simulation;

/// <summary>
/// The cluster's controllers, stepped together every tick on one background loop: scheduler and
/// kubelet, the Spark and Training operators, Trainer, the Job controller, log writers and the garbage collector. One loop keeps
/// them from racing each other, as if each were a single-threaded controller.
/// </summary>
internal sealed partial class ClusterSimulation(ClusterState state, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PodScheduler _scheduler = new(state);
    private readonly SparkOperatorSimulator _spark = new(state);
    private readonly TrainingOperatorSimulator _pytorch = TrainingOperatorSimulator.PyTorch(state);
    private readonly TrainingOperatorSimulator _jax = TrainingOperatorSimulator.Jax(state);
    private readonly TrainerSimulator _trainer = new(state);
    private readonly BatchJobController _jobs = new(state);
    private readonly PodLogWriter _logs = new(state);
    private readonly GarbageCollector _collector = new(state);
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(state.Options.Tick, state.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                Step();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped with the cluster.
        }
    }

    private void Step()
    {
        foreach (var (name, step, isOperator) in new (string, Action, bool)[]
        {
            ("scheduler", _scheduler.Step, false), ("spark-operator", _spark.Step, true), ("pytorch", _pytorch.Step, true),
            ("jax", _jax.Step, true), ("trainer", _trainer.Step, true),
            ("job-controller", _jobs.Step, false), ("logs", _logs.Step, false), ("garbage-collector", _collector.Step, false),
        })
        {
            if (isOperator && state.Faults.OperatorsPaused)
            {
                continue;
            }
            try
            {
                step();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                StepFailed(logger, state.Options.Name, name, e);
            }
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Sandbox {Cluster}: the {Controller} step failed")]
    private static partial void StepFailed(ILogger logger, string cluster, string controller, Exception error);
}
