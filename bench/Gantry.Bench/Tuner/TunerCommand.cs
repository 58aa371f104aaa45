using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Gantry.Core.Tuning;

namespace Gantry.Bench.Tuner;

/// <summary>
/// <c>gantry-bench tuner</c>: the suggestion algorithms on Branin and Hartmann-6, each seed a
/// sequential run, random search in the same run as the baseline; prints per function and sampler
/// the runs that reached the target regret, the median trials to it, the median regret half-way and
/// at the end, and the wall time. tuning.md §8 holds Optuna 3.1's figures for the same setting.
/// </summary>
public static class TunerCommand
{
    private static readonly string[] DefaultSamplers = [AlgorithmNames.Random, AlgorithmNames.Tpe, AlgorithmNames.MultivariateTpe, AlgorithmNames.Sobol];

    public static Command Create()
    {
        var seeds = new Option<int>("--seeds") { Description = "Runs per function and sampler (random_state first-seed, first-seed + 1, ...).", DefaultValueFactory = _ => 30 };
        var firstSeed = new Option<int>("--first-seed") { Description = "random_state of the first run.", DefaultValueFactory = _ => 0 };
        var trials = new Option<int>("--trials") { Description = "Trials per run, suggested one at a time.", DefaultValueFactory = _ => 100 };
        var samplers = new Option<string[]>("--samplers") { Description = "Algorithms to run.", DefaultValueFactory = _ => DefaultSamplers, AllowMultipleArgumentsPerToken = true };
        var functions = new Option<string[]>("--functions") { Description = "Test functions: branin, hartmann6.", DefaultValueFactory = _ => [.. BenchmarkFunction.All.Select(f => f.Name)], AllowMultipleArgumentsPerToken = true };
        var command = new Command("tuner", "Run the search algorithms on Branin and Hartmann-6 against random search; print the runs reaching the target regret and the median regret.")
        {
            seeds, firstSeed, trials, samplers, functions,
        };
        command.SetAction(parse => Run(parse.GetValue(seeds), parse.GetValue(firstSeed), parse.GetValue(trials), parse.GetValue(samplers)!, parse.GetValue(functions)!));
        return command;
    }

    private static int Run(int seeds, int firstSeed, int trials, string[] samplers, string[] functionNames)
    {
        var known = new HashSet<string>(DefaultSamplers);
        var functions = functionNames.Select(n => BenchmarkFunction.All.FirstOrDefault(f => f.Name == n)).ToList();
        if (seeds < 1 || firstSeed < 0 || trials < 2 || samplers.Length == 0 || samplers.Any(s => !known.Contains(s)) || functions.Count == 0 || functions.Contains(null))
        {
            Console.Error.WriteLine($"--seeds must be at least 1, --first-seed at least 0, --trials at least 2, --samplers among {string.Join(", ", DefaultSamplers)}, --functions among {string.Join(", ", BenchmarkFunction.All.Select(f => f.Name))}");
            return 2;
        }
        Console.WriteLine($"tuner: {seeds} seeds from {firstSeed} x {trials} trials, one trial at a time; {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        var half = (trials - 1) / 2 + 1;
        Console.WriteLine($"{"function",-10} {"sampler",-17} {"target",7} {"reached",8} {"median trials",14} {"regret@" + half,11} {"regret@" + trials,11} {"wall",8}");
        foreach (var function in functions)
        {
            foreach (var sampler in samplers)
            {
                var clock = Stopwatch.StartNew();
                var runs = Enumerable.Range(firstSeed, seeds).Select(seed => TunerRun.Regrets(function!, sampler, seed, trials)).ToList();
                var f = TunerFigures.From(function!, sampler, runs, clock.Elapsed);
                var median = f.MedianTrialsToTarget is { } m ? m.ToString("F1", CultureInfo.InvariantCulture) : $"> {trials}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Function,-10} {f.Sampler,-17} {function!.TargetRegret,7:G3} {f.Reached + "/" + f.Runs,8} {median,14} {f.MedianRegretHalfway,11:F4} {f.MedianRegretAtEnd,11:F4} {f.Wall.TotalSeconds,7:F2}s"));
            }
        }
        Console.WriteLine("target = regret (best so far − optimum) a run must reach; median trials over the runs that reached it; sobol ignores the seed (every run is the same sequence)");
        return 0;
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
