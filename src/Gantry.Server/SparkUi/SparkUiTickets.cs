using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Gantry.Server.SparkUi;

/// <summary>
/// Signs and reads the two tokens of the UI origin, with Data Protection (authenticated encryption
/// under the key ring every replica shares): the ticket in a signed link, and the cookie opening
/// that link sets. Each names one job, one user and an expiry checked against the injected clock;
/// the two have different purposes, so neither can stand in for the other. Never the bearer token.
/// </summary>
public sealed class SparkUiTickets(IDataProtectionProvider provider, TimeProvider time)
{
    private const string Version = "v1";
    private readonly IDataProtector _links = provider.CreateProtector("Gantry.SparkUi.Link.v1");
    private readonly IDataProtector _cookies = provider.CreateProtector("Gantry.SparkUi.Cookie.v1");

    public string IssueLink(string jobId, string user, DateTimeOffset expiresAt) => Protect(_links, new SparkUiGrant(jobId, user, expiresAt));

    public string IssueCookie(string jobId, string user, DateTimeOffset expiresAt) => Protect(_cookies, new SparkUiGrant(jobId, user, expiresAt));

    /// <summary>The grant of a link ticket for <paramref name="jobId"/>, or null when it is forged, altered, for another job or expired.</summary>
    public SparkUiGrant? ReadLink(string? ticket, string jobId) => Read(_links, ticket, jobId);

    /// <inheritdoc cref="ReadLink"/>
    public SparkUiGrant? ReadCookie(string? value, string jobId) => Read(_cookies, value, jobId);

    private static string Protect(IDataProtector protector, SparkUiGrant grant) =>
        protector.Protect(string.Join('\n', Version, grant.JobId, grant.User, grant.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    private SparkUiGrant? Read(IDataProtector protector, string? value, string jobId)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 4096)
        {
            return null;
        }
        string plain;
        try
        {
            plain = protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = plain.Split('\n');
        if (parts.Length != 4 || parts[0] != Version || !string.Equals(parts[1], jobId, StringComparison.Ordinal)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expires > time.GetUtcNow() ? new SparkUiGrant(parts[1], parts[2], expires) : null;
    }
}
