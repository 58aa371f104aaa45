namespace Gantry.Server.Options;

/// <summary>The local cluster: this machine. Capacity overrides are for tests and for sharing a laptop politely.</summary>
public sealed class LocalOptions
{
    /// <summary>CPU to offer, as a quantity ("4", "1500m"); empty: all cores.</summary>
    public string Cpu { get; set; } = "";

    /// <summary>Memory to offer, as a quantity ("8Gi"); empty: all memory.</summary>
    public string Memory { get; set; } = "";

    public int Gpu { get; set; }

    public int CancelGraceSeconds { get; set; } = 10;
}
