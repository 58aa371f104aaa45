namespace Gantry.Core.Tuning;

/// <summary>What a <c>${trialSpec.X}</c> reference reads from the trial's job.</summary>
public enum MetaField
{
    Name,
    Namespace,
    Kind,
    ApiVersion,
    Labels,
    Annotations,
}
