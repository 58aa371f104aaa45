namespace Gantry.Core.LocalRuns;

/// <summary>What a path names on the gateway's machine, as far as running a job there is concerned.</summary>
public enum FileKind
{
    Missing,

    Directory,

    /// <summary>A file no one may execute (a script run by an interpreter needs only this).</summary>
    File,

    /// <summary>A file with an execute bit.</summary>
    Executable,
}
