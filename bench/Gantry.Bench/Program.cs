using System.CommandLine;
using Gantry.Bench.Scheduler;

var root = new RootCommand("Gantry benchmarks that run without a server.") { SchedulerCommand.Create() };
return await root.Parse(args).InvokeAsync();
