using System.CommandLine;

namespace Gantry.Bench.Scheduler;

/// <summary><c>gantry-bench scheduler</c>: a simulation over time, then the timing of one large round.</summary>
public static class SchedulerCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "Queued jobs in the timed round's snapshot.", DefaultValueFactory = _ => 100_000 };
        var queues = new Option<int>("--queues") { Description = "Queues.", DefaultValueFactory = _ => 50 };
        var clusters = new Option<int>("--clusters") { Description = "Clusters.", DefaultValueFactory = _ => 100 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds (after 3 warm-up rounds).", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same workload.", DefaultValueFactory = _ => 42 };
        var minutes = new Option<int>("--simulate-minutes") { Description = "Simulated time before the timed round; 0 skips the simulation.", DefaultValueFactory = _ => 60 };
        var load = new Option<double>("--load") { Description = "Demand over capacity in the simulation (1.3 keeps every queue backlogged).", DefaultValueFactory = _ => 1.3 };
        var command = new Command("scheduler", "Simulate scheduling over time, then time one round over a large snapshot.")
        {
            jobs, queues, clusters, rounds, seed, minutes, load,
        };
        command.SetAction(parse =>
        {
            var options = new WorkloadOptions(parse.GetValue(jobs), parse.GetValue(queues), parse.GetValue(clusters), parse.GetValue(seed));
            if (options.Jobs < 1 || options.Queues < 1 || options.Clusters < 1 || parse.GetValue(rounds) < 1)
            {
                Console.Error.WriteLine("--jobs, --queues, --clusters and --rounds must be at least 1");
                return 2;
            }
            if (parse.GetValue(minutes) > 0)
            {
                new Simulation(options, TimeSpan.FromMinutes(parse.GetValue(minutes)), TimeSpan.FromSeconds(10), parse.GetValue(load)).Run(Console.Out);
            }
            var figures = RoundBenchmark.Run(options, parse.GetValue(rounds), Console.Out);
            Console.WriteLine($"scheduler round: jobs={options.Jobs} queues={options.Queues} clusters={options.Clusters} p50_ms={figures.P50Ms:F2} p99_ms={figures.P99Ms:F2} placed={figures.Placed}");
            return 0;
        });
        return command;
    }
}
