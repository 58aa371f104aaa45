namespace Gantry.Server.Api;

/// <summary>A signed link to a job's Spark UI on the UI origin: open it in a browser before <c>expiresAt</c>.</summary>
public sealed record SparkUiLinkDto(string Url, DateTimeOffset ExpiresAt);
