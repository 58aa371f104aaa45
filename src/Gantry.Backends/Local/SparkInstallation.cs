namespace Gantry.Backends.Local;

/// <summary>Where this machine's <c>spark-submit</c> is: <c>$SPARK_HOME/bin/spark-submit</c>, else the first on PATH.</summary>
internal static class SparkInstallation
{
    public static string? FindSparkSubmit(Func<string, string?> environment)
    {
        if (environment("SPARK_HOME") is { Length: > 0 } home && File.Exists(System.IO.Path.Combine(home, "bin", "spark-submit")))
        {
            return System.IO.Path.Combine(home, "bin", "spark-submit");
        }
        foreach (var dir in (environment("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, "spark-submit");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
