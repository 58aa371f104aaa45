using ClusterConnection = Gantry.Core.Clusters.ClusterConnection;
using k8s;
using k8s.KubeConfigModels;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>The kubeconfig handed to a user a cluster is shared with: the cluster's server and CA, their token, their namespace.</summary>
public static class UserKubeconfig
{
    public static string Build(string clusterName, ClusterConnection cluster, string user, string @namespace, string token)
    {
        var context = $"{clusterName}-{user}";
        var kubeconfig = new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = context,
            Clusters =
            [
                new Cluster
                {
                    Name = clusterName,
                    ClusterEndpoint = new ClusterEndpoint
                    {
                        Server = cluster.Server,
                        CertificateAuthorityData = cluster.CertificateAuthorityData,
                        SkipTlsVerify = cluster.InsecureSkipTlsVerify,
                        TlsServerName = cluster.TlsServerName,
                    },
                },
            ],
            Users = [new User { Name = context, UserCredentials = new UserCredentials { Token = token } }],
            Contexts = [new Context { Name = context, ContextDetails = new ContextDetails { Cluster = clusterName, User = context, Namespace = @namespace } }],
        };
        return KubernetesYaml.Serialize(kubeconfig);
    }
}
