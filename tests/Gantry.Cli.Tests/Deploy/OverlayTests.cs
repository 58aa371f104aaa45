using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>What makes each overlay what it is: single is one process on SQLite, ha three replicas on PostgreSQL.</summary>
public sealed class OverlayTests
{
    [Fact]
    public async Task Single_runs_one_replica_on_SQLite_on_a_claim_and_stops_it_before_starting_the_next()
    {
        var manifests = await RenderedManifests.LoadAsync("single");
        var deployment = manifests.Deployment;
        Assert.Equal(1, deployment.Spec.Replicas);
        // SQLite's data dir takes one process: a rolling update would start a second pod that waits on its lock.
        Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
        Assert.Null(deployment.Spec.Strategy.RollingUpdate);
        var data = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "data");
        Assert.Null(data.EmptyDir);
        var claim = manifests.Named<V1PersistentVolumeClaim>(data.PersistentVolumeClaim.ClaimName);
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        Assert.Null(manifests.Setting("Gantry__Storage__Provider"));
        Assert.Empty(manifests.All<V1PodDisruptionBudget>());
    }

    [Fact]
    public async Task Ha_runs_three_replicas_on_PostgreSQL_from_a_secret_with_one_key_ring_key()
    {
        var manifests = await RenderedManifests.LoadAsync("ha");
        var deployment = manifests.Deployment;
        Assert.Equal(3, deployment.Spec.Replicas);
        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal("postgres", manifests.Setting("Gantry__Storage__Provider"));
        var connection = manifests.Gateway.Env.Single(e => e.Name == "Gantry__Storage__ConnectionString");
        Assert.Null(connection.Value);
        Assert.Equal("gantry-postgres", connection.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("connection-string", connection.ValueFrom.SecretKeyRef.Key);
        // One key ring key for all replicas, mounted read-only from a Secret at the path the setting names.
        var keyFile = manifests.Setting("Gantry__Secrets__KeyRingKeyFile")!;
        var mount = manifests.Gateway.VolumeMounts.Single(m => keyFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        Assert.True(mount.ReadOnlyProperty);
        var volume = deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name);
        Assert.Equal("gantry-keyring", volume.Secret.SecretName);
        Assert.Equal("keyring.pfx", Path.GetFileName(keyFile));
        // The data dir is scratch: nothing of the store lives there.
        Assert.NotNull(deployment.Spec.Template.Spec.Volumes.Single(v => v.Name == "data").EmptyDir);
        Assert.Empty(manifests.All<V1PersistentVolumeClaim>());
    }

    [Fact]
    public async Task Ha_keeps_two_replicas_through_a_drain_and_spreads_them_over_nodes()
    {
        var manifests = await RenderedManifests.LoadAsync("ha");
        var pdb = manifests.Single<V1PodDisruptionBudget>();
        Assert.Equal("1", pdb.Spec.MaxUnavailable.Value);
        Assert.Null(pdb.Spec.MinAvailable);
        var term = Assert.Single(manifests.Deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname", term.PodAffinityTerm.TopologyKey);
    }

    [Fact]
    public async Task Both_overlays_register_the_cluster_they_run_in_and_keep_local_jobs_to_admins()
    {
        foreach (var render in new[] { "single", "ha" })
        {
            var manifests = await RenderedManifests.LoadAsync(render);
            Assert.Equal("true", manifests.Setting("Gantry__InCluster__Enabled"));
            Assert.Equal("in-cluster", manifests.Setting("Gantry__InCluster__ClusterName"));
            Assert.Equal("admins-only", manifests.Setting("Gantry__Local__Isolation"));
            // Jobs reach the gateway through the Service, from their own namespaces.
            var service = manifests.Single<V1Service>();
            Assert.Equal($"http://{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc.cluster.local:8080", manifests.Setting("GANTRY_PUBLIC_URL"));
        }
    }

    [Fact]
    public async Task The_ingress_component_tells_Gantry_the_Spark_UI_origin_it_routes()
    {
        var manifests = await RenderedManifests.LoadAsync("ha+ingress+monitoring+namespace-sharing");
        var ingress = manifests.Single<V1Ingress>();
        var uiHost = ingress.Spec.Rules.Single(r => r.Http.Paths.Any(p => p.Backend.Service.Port.Name == "spark-ui")).Host;
        Assert.Equal($"https://{uiHost}", manifests.Setting("Gantry__SparkUi__Origin"));
        Assert.All(ingress.Spec.Rules, r => Assert.Contains(ingress.Spec.Tls.SelectMany(t => t.Hosts), h => h == r.Host));
        // Watches and followed logs are long-lived responses.
        Assert.Equal("off", ingress.Metadata.Annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
    }
}
