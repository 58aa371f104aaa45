using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Gantry.Backends;

/// <summary>
/// Fault injection for the chaos test: this process kills itself with SIGKILL at a named step of a
/// dispatch, the way a crashed leader stops, with no clean-up and no lease released. Off unless
/// <c>Gantry:Testing:CrashFile</c> names a file; the file says which point is armed and after how
/// many reaches (<c>after-create 20</c>), and the test re-arms it between kills without restarting
/// the replicas. Never set in production: it exists so a test can stop a leader exactly between
/// "intent stored" and "resource created", which no outside kill can time.
/// </summary>
public sealed class CrashPoints
{
    /// <summary>The job is stored as Dispatching on its cluster; nothing is created yet.</summary>
    public const string AfterIntent = "after-intent";

    /// <summary>The cluster answered the create; the gateway has not stored it.</summary>
    public const string AfterCreate = "after-create";

    /// <summary>The backend reported Submitted; the store does not hold it yet.</summary>
    public const string BeforeSubmitted = "before-submitted";

    /// <summary>An experiment's new trials are stored; none of their jobs is submitted yet.</summary>
    public const string AfterTrialsRecorded = "after-trials-recorded";

    /// <summary>A trial's job is stored; the trial does not name it yet.</summary>
    public const string AfterTrialSubmitted = "after-trial-submitted";

    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        AfterIntent, AfterCreate, BeforeSubmitted, AfterTrialsRecorded, AfterTrialSubmitted,
    };

    public static readonly CrashPoints None = new(null);

    private readonly string? _file;
    private readonly ConcurrentDictionary<string, int> _reached = new(StringComparer.Ordinal);

    public CrashPoints(string? file) => _file = string.IsNullOrEmpty(file) ? null : file;

    public bool Enabled => _file is not null;

    /// <summary>Counts a reach of <paramref name="point"/>; kills the process if the file arms it and it has been reached often enough.</summary>
    public void Reach(string point)
    {
        if (_file is null)
        {
            return;
        }
        var count = _reached.AddOrUpdate(point, 1, (_, n) => n + 1);
        if (Armed(_file) is { } armed && armed.Point == point && count >= armed.After)
        {
            Console.Error.WriteLine($"gantry: crash point {point} reached ({count}); killing this process");
            Process.GetCurrentProcess().Kill();
        }
    }

    /// <summary>The armed point and count the file holds, or null if it is missing, empty or unreadable.</summary>
    public static (string Point, int After)? Armed(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && Names.Contains(parts[0]) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            ? (parts[0], after)
            : null;
    }
}
