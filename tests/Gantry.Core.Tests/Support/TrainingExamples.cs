using System.Text.Json.Nodes;

namespace Gantry.Core.Tests.Support;

/// <summary>The training-operator examples in shared/examples, selected by the kind they hold.</summary>
internal static class TrainingExamples
{
    private const string Operator = "training-operator";

    /// <summary>Files holding at least one document of <paramref name="kind"/>.</summary>
    public static TheoryData<string> Files(string kind) =>
        [.. ExampleManifests.FileNames(Operator).Where(file => Load(file, kind).Count > 0)];

    public static IReadOnlyList<string> AllFiles => ExampleManifests.FileNames(Operator);

    public static IReadOnlyList<JsonObject> Load(string file, string kind) => ExampleManifests.Load(Operator, file, kind);
}
