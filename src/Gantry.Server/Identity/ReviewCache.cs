using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Server.Identity;

/// <summary>
/// Remembers what checking a token found, keyed by the token's hash (never the token), so that a
/// notebook's every request does not cost a TokenReview. Refusals are remembered too, so a flood of
/// one bad token costs one review. Bounded: full, it starts over.
/// </summary>
public sealed class ReviewCache(TimeProvider time)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (ReviewOutcome Outcome, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public ReviewOutcome? Find(string token)
    {
        var key = Key(token);
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Until > time.GetUtcNow())
            {
                return entry.Outcome;
            }
            _entries.TryRemove(key, out _);
        }
        return null;
    }

    public void Remember(string token, ReviewOutcome outcome, DateTimeOffset until)
    {
        if (until <= time.GetUtcNow())
        {
            return;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[Key(token)] = (outcome, until);
    }

    private static string Key(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
