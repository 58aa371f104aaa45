namespace Gantry.Server.SparkUi;

/// <summary>What a signed link or a UI cookie grants: <paramref name="User"/> may read job <paramref name="JobId"/>'s Spark UI until <paramref name="ExpiresAt"/>.</summary>
public sealed record SparkUiGrant(string JobId, string User, DateTimeOffset ExpiresAt);
