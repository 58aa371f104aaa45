using System.CommandLine;

namespace Gantry.Bench.Scheduler;

/// <summary><c>gantry-bench gpu-preference</c>: GPU jobs' wait with CPU-only jobs free to take GPU nodes, then kept off them.</summary>
public static class GpuPreferenceCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same workload.", DefaultValueFactory = _ => 42 };
        var minutes = new Option<int>("--simulate-minutes") { Description = "Simulated time.", DefaultValueFactory = _ => 1440 };
        var load = new Option<double>("--load") { Description = "CPU-only demand over the CPU clusters' cpu.", DefaultValueFactory = _ => 0.9 };
        var command = new Command("gpu-preference", "Simulate three CPU clusters and one GPU cluster with and without keeping CPU-only jobs off GPU nodes.")
        {
            seed, minutes, load,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(minutes) < 1 || parse.GetValue(load) <= 0)
            {
                Console.Error.WriteLine("--simulate-minutes must be at least 1 and --load above 0");
                return 2;
            }
            var simulation = new GpuPreferenceSimulation(parse.GetValue(seed), TimeSpan.FromMinutes(parse.GetValue(minutes)), parse.GetValue(load));
            foreach (var spare in (bool[])[false, true])
            {
                var f = simulation.Run(spare);
                Console.WriteLine(
                    $"gpu-preference: spare_gpu_nodes={(spare ? "on" : "off")} gpu_jobs={f.GpuJobs} gpu_wait_p50_s={f.GpuWaitP50:F0} gpu_wait_p95_s={f.GpuWaitP95:F0} gpu_wait_mean_s={f.GpuWaitMean:F0} " +
                    $"cpu_jobs={f.CpuJobs} cpu_wait_p50_s={f.CpuWaitP50:F0} cpu_wait_p95_s={f.CpuWaitP95:F0} gpu_cluster_cpu_held_by_cpu_jobs={f.GpuClusterCpuByCpuJobs:P0}");
            }
            return 0;
        });
        return command;
    }
}
