using Gantry.Cli;

return await CliApp.RunAsync(args, CliContext.System());
