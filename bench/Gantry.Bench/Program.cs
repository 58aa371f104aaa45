using System.CommandLine;
using Gantry.Bench.JobList;
using Gantry.Bench.Scheduler;

var root = new RootCommand("Gantry benchmarks that need no running gateway (joblist starts one in-process).") { SchedulerCommand.Create(), JobListCommand.Create() };
return await root.Parse(args).InvokeAsync();
