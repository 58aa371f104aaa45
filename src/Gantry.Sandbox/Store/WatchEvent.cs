using System.Text.Json.Nodes;

namespace Gantry.Sandbox.Store;

/// <summary>
/// One change in the store at <paramref name="Version"/>. <paramref name="Previous"/> is the object
/// before a modification, so a watch with a selector can turn "stopped matching" into DELETED.
/// </summary>
internal sealed record WatchEvent(long Version, string Type, ObjectKey Key, JsonObject Object, JsonObject? Previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
