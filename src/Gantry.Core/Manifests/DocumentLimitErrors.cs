using Gantry.Core.Errors;

namespace Gantry.Core.Manifests;

/// <summary>The refusals of <see cref="DocumentLimits"/>, worded once for JSON and YAML alike.</summary>
internal static class DocumentLimitErrors
{
    public static LimitExceededException Depth(string field, DocumentLimits limits) =>
        new(field, DocumentLimits.DepthSetting, limits.MaxDepth,
            $"nests deeper than {limits.MaxDepth} levels", tooLarge: false);

    public static LimitExceededException Nodes(string field, DocumentLimits limits) =>
        new(field, DocumentLimits.NodesSetting, limits.MaxNodes,
            $"the document holds more than {limits.MaxNodes} values, aliases expanded", tooLarge: true);

    public static LimitExceededException String(string field, int length, DocumentLimits limits) =>
        new(field, DocumentLimits.StringSetting, limits.MaxStringLength,
            $"is a string of {length} characters, longer than {limits.MaxStringLength}", tooLarge: true);
}
