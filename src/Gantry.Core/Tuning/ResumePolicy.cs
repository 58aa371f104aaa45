namespace Gantry.Core.Tuning;

/// <summary>Katib's <c>spec.resumePolicy</c>: whether a finished experiment may be given more trials.</summary>
public enum ResumePolicy
{
    Never,
    LongRunning,
    FromVolume,
}
