namespace Gantry.Cli.Client;

/// <summary>A list the API answers as <c>{"items": [...], "nextCursor": ...}</c>.</summary>
internal sealed record PageView<T>(IReadOnlyList<T> Items, string? NextCursor);
