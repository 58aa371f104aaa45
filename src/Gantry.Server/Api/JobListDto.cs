namespace Gantry.Server.Api;

/// <summary>A page of jobs; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page (null: last page).</summary>
public sealed record JobListDto(IReadOnlyList<JobDto> Items, string? NextCursor);
