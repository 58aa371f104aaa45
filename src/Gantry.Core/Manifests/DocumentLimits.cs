namespace Gantry.Core.Manifests;

/// <summary>
/// How large a document read from a request may be, beyond its size in bytes: the shapes whose
/// cost the sender controls (nesting, node count after alias expansion, string length). Each
/// limit has the name of the setting that changes it, so a refusal can say which one it hit.
/// </summary>
public sealed record DocumentLimits(int MaxDepth = 64, int MaxNodes = 100_000, int MaxStringLength = 256 * 1024)
{
    public const string DepthSetting = "Gantry:Limits:MaxDocumentDepth";
    public const string NodesSetting = "Gantry:Limits:MaxDocumentNodes";
    public const string StringSetting = "Gantry:Limits:MaxStringLength";

    public static readonly DocumentLimits Default = new();

    /// <summary>
    /// For files the gateway's operator or a developer supplies (CRDs run to 900 KB and nest deeper
    /// than any manifest): still read without recursion and still bounded, just far wider.
    /// </summary>
    public static readonly DocumentLimits Files = new(MaxDepth: 1_000, MaxNodes: 50_000_000, MaxStringLength: int.MaxValue);
}
