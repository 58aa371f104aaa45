namespace Gantry.Core.Schemas;

/// <summary>
/// One reason a custom resource fails its CRD schema, shaped like a cause in the API server's
/// 422 Status: <c>{reason: FieldValueInvalid, field: spec.driver.cores, message: "Invalid value: 0: ..."}</c>.
/// </summary>
public sealed record SchemaCause(string Reason, string Field, string Message)
{
    /// <summary>The line the API server prints in a Status message: <c>spec.driver: Required value</c>.</summary>
    public override string ToString() => $"{Field}: {Message}";
}
