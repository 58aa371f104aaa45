using Gantry.Core.LocalRuns;

namespace Gantry.Core.Tests.LocalRuns;

/// <summary>A gateway's machine as a table of paths; every other path is missing.</summary>
internal sealed class MachineFilesTable(params (string Path, FileKind Kind)[] entries) : IMachineFiles
{
    private readonly Dictionary<string, FileKind> _entries = entries.ToDictionary(e => e.Path, e => e.Kind, StringComparer.Ordinal);

    public FileKind Probe(string absolutePath) => _entries.GetValueOrDefault(absolutePath, FileKind.Missing);
}
