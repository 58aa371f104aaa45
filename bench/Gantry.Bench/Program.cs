using System.CommandLine;
using Gantry.Bench.Fuzz;
using Gantry.Bench.JobList;
using Gantry.Bench.Monitoring;
using Gantry.Bench.Scheduler;
using Gantry.Bench.Tuner;

var root = new RootCommand("Gantry benchmarks that need no running gateway (joblist and metrics start one in-process).") { SchedulerCommand.Create(), GpuPreferenceCommand.Create(), JobListCommand.Create(), MetricsCommand.Create(), FuzzCommand.Create(), TunerCommand.Create() };
return await root.Parse(args).InvokeAsync();
