namespace Gantry.Core.Schemas;

/// <summary>The API server's <c>details.causes[].reason</c> values for schema failures.</summary>
public static class CauseReasons
{
    public const string Required = "FieldValueRequired";
    public const string Invalid = "FieldValueInvalid";
    public const string NotSupported = "FieldValueNotSupported";
    public const string TypeInvalid = "FieldValueTypeInvalid";
    public const string TooLong = "FieldValueTooLong";
    public const string TooMany = "FieldValueTooMany";
    public const string Duplicate = "FieldValueDuplicate";
}
