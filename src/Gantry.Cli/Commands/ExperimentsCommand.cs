using System.CommandLine;

namespace Gantry.Cli.Commands;

/// <summary><c>gantry experiments submit | list | describe | cancel | resume</c>: Katib Experiments run by the gateway (docs/experiments.md).</summary>
public static class ExperimentsCommand
{
    public static Command Create(CliContext context) =>
        new("experiments", "Submit, list, describe, cancel and resume tuning experiments (Katib Experiments).")
        {
            ExperimentsSubmitCommand.Create(context),
            ExperimentsListCommand.Create(context),
            ExperimentsDescribeCommand.Create(context),
            ExperimentsCancelCommand.Create(context),
            ExperimentsResumeCommand.Create(context),
        };
}
