namespace Gantry.Server.Api;

/// <summary>
/// <c>POST /clusters/import</c>: a kubeconfig (YAML or JSON text, or a JSON object), the
/// contexts to import (all when empty), new names for some of them, and labels for all.
/// </summary>
public sealed record ImportRequest(
    string Kubeconfig,
    IReadOnlyList<string> Contexts,
    IReadOnlyDictionary<string, string> Rename,
    IReadOnlyDictionary<string, string> Labels);
