using Gantry.Core.Kinds;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>Reads <c>POST /clusters/{name}/shares</c>: <c>{"user": "ann", "namespace": "team-a", "expirationSeconds": 86400}</c>.</summary>
public static class ShareRequestReader
{
    public static ShareRequest Read(byte[] body, DocumentLimits limits)
    {
        var root = JsonBody.Object(body, "the share", limits);
        var errors = new ValidationErrors();
        var read = new ManifestReader(errors);
        JsonBody.OnlyFields(root, ["user", "namespace", "expirationSeconds"], "a share", errors);
        var user = read.String(root, "", "user", required: true);
        var ns = read.String(root, "", "namespace");
        var expiration = read.Integer(root, "", "expirationSeconds", min: 600);
        errors.ThrowIfAny("The share has invalid fields.");
        return new ShareRequest(user!, ns, expiration);
    }
}
