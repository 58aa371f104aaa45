namespace Gantry.Server.Options;

/// <summary>The <c>Gantry:Tokens</c> section: how long users' tokens may live and how soon a revocation is seen everywhere.</summary>
public sealed class TokensOptions
{
    /// <summary>The longest <c>expiresIn</c> a token may be issued with.</summary>
    public int MaxLifetimeDays { get; set; } = 365;

    /// <summary>The lifetime of a token issued without <c>expiresIn</c>; 0: such tokens never expire.</summary>
    public int DefaultLifetimeDays { get; set; }

    /// <summary>
    /// How long a replica trusts what it read about a token before reading it again: the bound on
    /// how late a revocation made on another replica takes effect here (this replica's own
    /// revocations take effect at once).
    /// </summary>
    public int CacheSeconds { get; set; } = 5;

    /// <summary>
    /// How long a dashboard sign-in lasts at most (it ends sooner when its token expires or is
    /// revoked, or when the browser closes: the cookie is a session cookie).
    /// </summary>
    public int SessionHours { get; set; } = 12;
}
