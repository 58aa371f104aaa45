namespace Gantry.Bench.Replicas;

/// <summary>
/// Kills (or terminates) the leader, then submits a probe job through a surviving replica once the
/// leader has exited: the time from the signal to the probe's stored Dispatching transition is the
/// time the fleet could not dispatch. The killed replica is started again before the next round.
/// </summary>
internal static class FailoverBench
{
    public static async Task<List<double>> RunAsync(Fleet fleet, bool kill, int times, CancellationToken cancellationToken)
    {
        var seconds = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var leader = await fleet.WaitForLeaderAsync(cancellationToken);
            var survivor = fleet.Replicas.First(r => r != leader && r.Running);
            var sent = await leader.SignalAsync(kill, cancellationToken);
            var probe = await fleet.SubmitAsync(survivor, $"probe-{(kill ? "kill" : "term")}-{i}", cancellationToken);
            var dispatched = await fleet.DispatchedAtAsync(survivor, probe, cancellationToken);
            seconds.Add((dispatched - sent).TotalSeconds);
            await leader.StartAsync(cancellationToken);
        }
        return seconds;
    }
}
