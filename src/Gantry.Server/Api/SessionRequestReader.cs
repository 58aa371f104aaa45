using Gantry.Core.Kinds;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>Reads <c>{"token": "gty_..."}</c>, the body of a dashboard sign-in.</summary>
internal static class SessionRequestReader
{
    public static string Read(byte[] body, DocumentLimits limits)
    {
        var root = JsonBody.Object(body, "the sign-in ({\"token\": \"gty_...\"})", limits);
        var errors = new ValidationErrors();
        JsonBody.OnlyFields(root, ["token"], "a sign-in", errors);
        var token = new ManifestReader(errors).String(root, "", "token", required: true);
        if (token is not null && token.Trim().Length == 0)
        {
            errors.Add("token", "must not be empty");
        }
        errors.ThrowIfAny("The sign-in has invalid fields.");
        return token!.Trim();
    }
}
