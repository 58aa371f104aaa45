namespace Gantry.Core.LocalRuns;

/// <summary>
/// The gateway's file system as <see cref="LocalRunCheck"/> sees it. The check itself does no I/O:
/// the server passes the real file system, tests a table of paths.
/// </summary>
public interface IMachineFiles
{
    /// <summary>What <paramref name="absolutePath"/> is on this machine.</summary>
    FileKind Probe(string absolutePath);
}
