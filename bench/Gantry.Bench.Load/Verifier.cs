using System.Diagnostics;
using System.Text.Json;

namespace Gantry.Bench.Load;

/// <summary>Lists the stored jobs (newest first, page by page) and counts how many of the expected ids are there.</summary>
internal static class Verifier
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(5);
    private const int MaxPages = 20_000;

    public static async Task<(long Expected, long Found, IReadOnlyList<string> MissingSample)> VerifyAsync(
        HttpClient client, Uri baseUrl, IReadOnlyCollection<string> ids, int pageSize, CancellationToken cancellationToken)
    {
        var missing = new HashSet<string>(ids, StringComparer.Ordinal);
        var expected = missing.Count;
        string? cursor = null;
        var clock = Stopwatch.StartNew();
        for (var page = 0; page < MaxPages && missing.Count > 0 && clock.Elapsed < TimeLimit; page++)
        {
            var query = $"/api/v1/jobs?limit={pageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await client.GetAsync(new Uri(baseUrl, query), cancellationToken);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
            {
                missing.Remove(item.GetProperty("id").GetString() ?? "");
            }
            cursor = document.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (cursor is null)
            {
                break;
            }
        }
        return (expected, expected - missing.Count, missing.Take(10).ToList());
    }
}
