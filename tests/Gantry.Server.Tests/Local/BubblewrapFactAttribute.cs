using Gantry.Backends.Local;

namespace Gantry.Server.Tests.Local;

/// <summary>A test of the "bubblewrap" isolation: skipped, with the reason, when bwrap is missing or cannot create its namespaces here.</summary>
public sealed class BubblewrapFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Works = new(() => IsolationProbe.BubblewrapWorks("bwrap"));

    public BubblewrapFactAttribute()
    {
        if (!Works.Value)
        {
            Skip = "bwrap is not installed or cannot create its namespaces here (apt-get install bubblewrap; some containers forbid user namespaces)";
        }
    }
}
