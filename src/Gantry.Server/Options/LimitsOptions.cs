namespace Gantry.Server.Options;

public sealed class LimitsOptions
{
    /// <summary>The largest request body accepted (a submitted manifest, a queue definition).</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest page of a list.</summary>
    public int MaxPageSize { get; set; } = 500;
}
