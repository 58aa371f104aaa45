using Gantry.Backends.Local;

namespace Gantry.Server.Tests.Local;

/// <summary>A test of the "users" isolation, which switches uids: skipped, with the reason, unless the tests run as root.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!IsolationProbe.IsRoot)
        {
            Skip = "needs root: the 'users' isolation runs each user's jobs under their own uid (scripts/test.sh runs as root in CI)";
        }
    }
}
