using Gantry.Core.Clusters;
using Gantry.Core.Kinds;
using Gantry.Core.Manifests;
using Gantry.Core.Validation;

namespace Gantry.Server.Api;

/// <summary>Reads <c>POST /clusters</c> (a cluster by server URL and token), reporting every bad field at once by its path.</summary>
public static class ClusterRequestReader
{
    private static readonly string[] Fields =
        ["name", "server", "token", "certificateAuthorityData", "insecureSkipTlsVerify", "tlsServerName", "namespace", "labels"];

    public static (string Name, IReadOnlyDictionary<string, string> Labels, ClusterConnection Connection) Read(byte[] body, DocumentLimits limits)
    {
        var root = JsonBody.Object(body, "the cluster", limits);
        var errors = new ValidationErrors();
        var read = new ManifestReader(errors);
        JsonBody.OnlyFields(root, Fields, "a cluster", errors);
        var name = read.String(root, "", "name", required: true) ?? "";
        if (!errors.Has("name") && !ClusterRules.IsValidName(name))
        {
            errors.Add("name", $"'{name}' {ClusterRules.NameRule}");
        }
        var server = read.String(root, "", "server", required: true);
        var token = read.String(root, "", "token", required: true);
        var connection = new ClusterConnection
        {
            Server = server ?? "",
            Token = token,
            CertificateAuthorityData = read.String(root, "", "certificateAuthorityData"),
            InsecureSkipTlsVerify = read.Boolean(root, "", "insecureSkipTlsVerify") ?? false,
            TlsServerName = read.String(root, "", "tlsServerName"),
            Namespace = read.String(root, "", "namespace") ?? "default",
        };
        var labels = JsonBody.Labels(read, root, "labels");
        if (server is not null && token is not null)
        {
            ClusterRules.Validate(connection, "", errors);
        }
        errors.ThrowIfAny("The cluster has invalid fields.");
        return (name, labels, connection);
    }
}
