namespace Gantry.Storage.Sql;

/// <summary>Times are stored as Unix milliseconds, the one representation both databases index alike.</summary>
internal static class Time
{
    public static long ToDb(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static long? ToDb(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromDb(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? FromDb(long? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);
}
