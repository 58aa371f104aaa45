using Gantry.Core.Clusters;

namespace Gantry.Server.Api;

/// <summary>What may be shown of a cluster's connection: where it is and how Gantry signs in, never the credential itself.</summary>
public sealed record ConnectionSummaryDto(string Server, string Namespace, string Authentication, bool CertificateAuthority, bool InsecureSkipTlsVerify)
{
    public static ConnectionSummaryDto From(ClusterConnection connection) => new(
        connection.Server,
        connection.Namespace,
        connection.Exec is not null ? "exec" : connection.ClientCertificateData is not null ? "clientCertificate" : connection.TokenFile is not null ? "tokenFile" : "token",
        connection.CertificateAuthorityData is not null || connection.CertificateAuthorityFile is not null,
        connection.InsecureSkipTlsVerify);
}
