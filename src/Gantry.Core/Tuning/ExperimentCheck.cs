using Gantry.Core.Errors;
using Gantry.Core.Validation;

namespace Gantry.Core.Tuning;

/// <summary>
/// What <see cref="ExperimentReader.Check"/> found: the experiment when it is valid, every field
/// error, and separately every field naming something Katib has but Gantry does not yet.
/// </summary>
public sealed record ExperimentCheck(Experiment? Experiment, ValidationErrors Errors, ValidationErrors Unsupported)
{
    public bool IsValid => Errors.IsEmpty && Unsupported.IsEmpty && Experiment is not null;

    /// <summary>
    /// The experiment, or a <see cref="NotSupportedYetException"/> when it uses something Gantry does
    /// not run (first: fixing other fields would not help), or a <see cref="ValidationException"/>.
    /// </summary>
    public Experiment Get()
    {
        if (!Unsupported.IsEmpty)
        {
            var fields = Unsupported.ToDictionary();
            var also = Errors.IsEmpty ? "" : $" ({Errors.Count} other field(s) are invalid too)";
            throw new NotSupportedYetException(
                "The experiment uses what Gantry does not support yet: " + string.Join("; ", fields.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}")) + also,
                fields);
        }
        Errors.ThrowIfAny("The experiment has invalid fields.");
        return Experiment!;
    }
}
