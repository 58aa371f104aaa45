using Gantry.Core.Kinds;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>Reads <see cref="CreateTokenRequest"/>; an empty body asks for a token of the caller's own with the defaults.</summary>
internal static class TokenRequestReader
{
    public const int MaxDescriptionLength = 200;

    public static CreateTokenRequest Read(byte[] body, DocumentLimits limits)
    {
        if (body.Length == 0)
        {
            return new CreateTokenRequest(null, null, null);
        }
        var root = JsonBody.Object(body, "the token", limits);
        var errors = new ValidationErrors();
        var read = new ManifestReader(errors);
        // A duration that cannot be read is answered 400, as a malformed query parameter is.
        if (root["expiresIn"] is { } node && (node.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            throw RequestException.BadField("expiresIn", $"must be a string: {Core.Users.TokenLifetime.Format}");
        }
        JsonBody.OnlyFields(root, ["user", "expiresIn", "description"], "a token request", errors);
        var user = read.String(root, "", "user");
        var expiresIn = read.String(root, "", "expiresIn");
        var description = read.String(root, "", "description");
        if (description is not null && (description.Length > MaxDescriptionLength || description.Any(char.IsControl)))
        {
            errors.Add("description", $"must be at most {MaxDescriptionLength} characters, without control characters");
        }
        errors.ThrowIfAny("The token request has invalid fields.");
        return new CreateTokenRequest(user, expiresIn, description);
    }
}
