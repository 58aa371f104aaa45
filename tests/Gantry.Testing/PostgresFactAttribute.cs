using Xunit;

namespace Gantry.Testing;

/// <summary>A test that needs the real PostgreSQL server scripts/test.sh starts; skipped, with the reason, when there is none.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "GANTRY_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set; scripts/test.sh starts a real PostgreSQL server and sets it.";
        }
    }
}
