namespace Gantry.Server.Options;

/// <summary>
/// The <c>Gantry:Testing</c> section: fault injection for the chaos test, off by default and never
/// meant for production (see <see cref="Gantry.Backends.CrashPoints"/>).
/// </summary>
public sealed class TestingOptions
{
    /// <summary>A file naming the armed crash point and after how many reaches (<c>after-create 20</c>); empty: none.</summary>
    public string CrashFile { get; set; } = "";
}
