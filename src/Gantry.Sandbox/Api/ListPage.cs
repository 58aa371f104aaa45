using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gantry.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Gantry.Sandbox.Api;

/// <summary>One page of a list under <c>limit</c>/<c>continue</c>; the token is the last key served.</summary>
internal sealed record ListPage(IReadOnlyList<JsonObject> Items, string? Continue, int Remaining)
{
    public static ListPage Cut(List<JsonObject> items, IQueryCollection query)
    {
        IEnumerable<JsonObject> rest = items;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            var after = Decode(token);
            rest = items.Where(i => string.CompareOrdinal(Position(i), after) > 0);
        }
        var remaining = rest.ToList();
        if (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit <= 0 || limit >= remaining.Count)
        {
            return new ListPage(remaining, null, 0);
        }
        var page = remaining.Take(limit).ToList();
        return new ListPage(page, Encode(Position(page[^1])), remaining.Count - limit);
    }

    public JsonObject Metadata(long version)
    {
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (Continue is not null)
        {
            metadata["continue"] = Continue;
            metadata["remainingItemCount"] = Remaining;
        }
        return metadata;
    }

    private static string Position(JsonObject item) => item.Namespace() + "\u0000" + item.Name();

    private static string Encode(string position) => Convert.ToBase64String(Encoding.UTF8.GetBytes(position));

    private static string Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiErrors.BadRequest("continue key is not valid");
        }
    }
}
