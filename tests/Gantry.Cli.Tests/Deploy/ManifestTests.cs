using k8s.Models;

namespace Gantry.Cli.Tests.Deploy;

/// <summary>
/// What must hold in every render of deploy/kustomize (each overlay, alone and with every
/// component): the objects load strictly, and selectors, labels, ports, probes, image, security
/// context and termination agree with each other and with the gateway.
/// </summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Renders => [.. Kustomize.Renders];

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_object_loads_strictly_into_its_typed_model(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var documents = manifests.Yaml.Split("\n---\n").Count(d => d.Trim().Length > 0);
        Assert.Equal(documents, manifests.Objects.Count);
        Assert.All(manifests.Objects, o => Assert.False(o is k8s.KubernetesObject, $"{o} loaded untyped"));
        Assert.Single(manifests.All<V1Deployment>());
        Assert.Single(manifests.All<V1Service>());
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_namespaced_object_is_in_the_gantry_namespace(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var clusterScoped = new[] { typeof(V1Namespace), typeof(V1ClusterRole), typeof(V1ClusterRoleBinding) };
        foreach (var o in manifests.Objects.OfType<IMetadata<V1ObjectMeta>>())
        {
            if (clusterScoped.Contains(o.GetType()))
            {
                Assert.Null(o.Metadata.NamespaceProperty);
            }
            else
            {
                Assert.True(o.Metadata.NamespaceProperty == "gantry", $"{o.GetType().Name} {o.Metadata.Name} is in namespace '{o.Metadata.NamespaceProperty}'");
            }
        }
        Assert.Equal("gantry", manifests.Single<V1Namespace>().Metadata.Name);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_selector_selects_the_gateway_pods(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var pods = manifests.PodLabels;
        Assert.True(RenderedManifests.Selects(manifests.Deployment.Spec.Selector.MatchLabels, pods), "Deployment selector");
        Assert.True(RenderedManifests.Selects(manifests.Single<V1Service>().Spec.Selector, pods), "Service selector");
        Assert.True(RenderedManifests.Selects(manifests.Single<V1NetworkPolicy>().Spec.PodSelector.MatchLabels, pods), "NetworkPolicy podSelector");
        foreach (var pdb in manifests.All<V1PodDisruptionBudget>())
        {
            Assert.True(RenderedManifests.Selects(pdb.Spec.Selector.MatchLabels, pods), "PodDisruptionBudget selector");
        }
        foreach (var term in manifests.Deployment.Spec.Template.Spec.Affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
        {
            Assert.True(RenderedManifests.Selects(term.PodAffinityTerm.LabelSelector.MatchLabels, pods), "anti-affinity selector");
        }
        var service = manifests.Single<V1Service>();
        foreach (var monitor in manifests.All<ServiceMonitor>())
        {
            Assert.True(RenderedManifests.Selects(monitor.Spec.Selector.MatchLabels, (IReadOnlyDictionary<string, string>)service.Metadata.Labels), "ServiceMonitor selector");
            Assert.All(monitor.Spec.Endpoints, e => Assert.Contains(service.Spec.Ports, p => p.Name == e.Port));
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Service_and_network_policy_ports_name_the_containers_ports(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var ports = manifests.Gateway.Ports;
        Assert.Contains(ports, p => p.Name == "http" && p.ContainerPort == 8080);
        Assert.Contains(ports, p => p.Name == "spark-ui" && p.ContainerPort == 8081);
        foreach (var port in manifests.Single<V1Service>().Spec.Ports)
        {
            Assert.Contains(ports, p => p.Name == port.TargetPort.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.TargetPort.Value);
        }
        foreach (var port in manifests.Single<V1NetworkPolicy>().Spec.Ingress.SelectMany(i => i.Ports))
        {
            Assert.Contains(ports, p => p.Name == port.Port.Value);
        }
        // The settings listen where the ports say.
        Assert.Equal("http://0.0.0.0:8080", manifests.Setting("GANTRY_URLS"));
        Assert.Equal("http://0.0.0.0:8081", manifests.Setting("GANTRY_UI_URLS"));
        foreach (var ingress in manifests.All<V1Ingress>())
        {
            var backends = ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service).ToList();
            Assert.All(backends, b => Assert.Equal(manifests.Single<V1Service>().Metadata.Name, b.Name));
            Assert.All(backends, b => Assert.Contains(manifests.Single<V1Service>().Spec.Ports, p => p.Name == b.Port.Name));
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Probes_ask_healthz_and_readyz_on_the_API_port(string render)
    {
        var gateway = (await RenderedManifests.LoadAsync(render)).Gateway;
        Assert.Equal("/healthz", gateway.LivenessProbe.HttpGet.Path);
        Assert.Equal("/readyz", gateway.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", gateway.StartupProbe.HttpGet.Path);
        foreach (var probe in new[] { gateway.LivenessProbe, gateway.ReadinessProbe, gateway.StartupProbe })
        {
            Assert.Equal("http", probe.HttpGet.Port.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_container_runs_the_one_image_set_in_the_base(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var pod = manifests.Deployment.Spec.Template.Spec;
        var images = pod.Containers.Concat(pod.InitContainers ?? []).Select(c => c.Image).Distinct().ToList();
        Assert.Equal(["registry.example.com/gantry:0.1.0"], images);
        Assert.Equal("serve", Assert.Single(manifests.Gateway.Args));
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task The_gateway_runs_as_non_root_on_a_read_only_root_file_system(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var pod = manifests.Deployment.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        var container = manifests.Gateway.SecurityContext;
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.Capabilities.Drop);
        Assert.Null(container.Privileged);
        // What it writes goes to volumes: the data dir and /tmp.
        var mounts = manifests.Gateway.VolumeMounts.ToDictionary(m => m.MountPath, m => m.Name);
        Assert.Equal(manifests.Setting("GANTRY_DATA_DIR"), mounts.Keys.Single(k => mounts[k] == "data"));
        Assert.NotNull(pod.Volumes.Single(v => v.Name == mounts["/tmp"]).EmptyDir);
        Assert.All(mounts.Values, name => Assert.Contains(pod.Volumes, v => v.Name == name));
        Assert.NotNull(manifests.Gateway.Resources.Requests["cpu"]);
        Assert.NotNull(manifests.Gateway.Resources.Limits["memory"]);
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Termination_grace_outlasts_the_pause_and_the_lease_hand_over(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var lease = TimeSpan.FromMilliseconds(int.Parse(manifests.Setting("Gantry__Leader__LeaseMilliseconds") ?? "15000", System.Globalization.CultureInfo.InvariantCulture));
        var pause = TimeSpan.FromSeconds(manifests.Gateway.Lifecycle.PreStop.Sleep.Seconds);
        var grace = TimeSpan.FromSeconds(manifests.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds!.Value);
        Assert.True(grace > pause + lease, $"terminationGracePeriodSeconds {grace.TotalSeconds} must exceed the preStop pause {pause.TotalSeconds} s plus the lease {lease.TotalSeconds} s");
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Every_reference_resolves_within_the_render_or_to_a_documented_secret(string render)
    {
        var manifests = await RenderedManifests.LoadAsync(render);
        var pod = manifests.Deployment.Spec.Template.Spec;
        var account = manifests.Named<V1ServiceAccount>(pod.ServiceAccountName);
        Assert.True(account.AutomountServiceAccountToken ?? true, "in-cluster mode needs the service-account token");
        foreach (var source in manifests.Gateway.EnvFrom)
        {
            manifests.Named<V1ConfigMap>(source.ConfigMapRef.Name);
        }
        foreach (var claim in pod.Volumes.Where(v => v.PersistentVolumeClaim is not null))
        {
            manifests.Named<V1PersistentVolumeClaim>(claim.PersistentVolumeClaim.ClaimName);
        }
        // Secrets are made by the operator (docs/deploy.md names these two), never rendered.
        var secrets = (manifests.Gateway.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef.Name)
            .Concat(pod.Volumes.Where(v => v.Secret is not null).Select(v => v.Secret.SecretName)).ToHashSet();
        Assert.Subset(new HashSet<string> { "gantry-postgres", "gantry-keyring" }, secrets);
        Assert.Empty(manifests.All<V1Secret>());
    }
}
