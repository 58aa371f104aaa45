using System.Globalization;
using System.Text.Json.Nodes;
using Gantry.Core.Resources;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Simulation;
using Gantry.Sandbox.Store;

namespace Gantry.Sandbox.Hosting;

/// <summary>What a fresh cluster holds before anyone calls it: namespaces, nodes, the default roles, the CRDs.</summary>
internal static class ClusterSeed
{
    // kubeflow: where the Training Operator's standalone install runs, and the namespace its examples name.
    private static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kubeflow"];

    /// <summary>Seeds <paramref name="state"/>; answers where the CRDs came from, for the start-up log.</summary>
    public static string Apply(ClusterState state)
    {
        foreach (var ns in Namespaces)
        {
            state.Store.Create(BuiltInTypes.Namespaces, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            });
            state.Store.Create(BuiltInTypes.ServiceAccounts, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ServiceAccount",
                ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = ns },
            });
        }
        foreach (var node in state.Options.Nodes)
        {
            state.Store.Create(BuiltInTypes.Nodes, Node(node, state.Options.Labels));
        }
        foreach (var role in DefaultRoles())
        {
            state.Store.Create(role.Kind == "ClusterRole" ? BuiltInTypes.ClusterRoles : BuiltInTypes.ClusterRoleBindings, role.Object);
        }
        var crds = state.Options.CrdDirectory is { } directory ? CrdFiles.Load(directory) : BuiltInCrds.All();
        // JobSet's CRD is never among the shared files: its stand-in comes with Trainer's wherever TrainJobs are served.
        var names = crds.Select(c => c.Name()).ToHashSet(StringComparer.Ordinal);
        var jobSet = BuiltInCrds.Trainer().Where(c => c.Name() == "jobsets.jobset.x-k8s.io" && names.Contains("trainjobs.trainer.kubeflow.org") && !names.Contains(c.Name()));
        foreach (var crd in crds.Concat(jobSet))
        {
            CrdInstaller.Install(state, crd);
        }
        if (state.Catalog.Find("trainer.kubeflow.org", "clustertrainingruntimes") is { } runtimes)
        {
            foreach (var runtime in SandboxRuntimes.For(state.Options.TrainingRuntimes))
            {
                state.Store.Create(runtimes, runtime);
            }
        }
        return state.Options.CrdDirectory is { } dir ? $"{crds.Count} CRDs from {dir}" : "built-in permissive CRDs (no CRD directory)";
    }

    private static JsonObject Node(SandboxNode node, IReadOnlyDictionary<string, string> clusterLabels)
    {
        var labels = new JsonObject
        {
            ["kubernetes.io/hostname"] = node.Name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        foreach (var (key, value) in clusterLabels.Concat(node.Labels ?? new Dictionary<string, string>()))
        {
            labels[key] = value;
        }
        // Options were validated at start, so both parse.
        _ = Quantity.TryParseCpuMillis(node.Cpu, out var cpu, out _);
        _ = Quantity.TryParseBytes(node.Memory, out var memory, out _);
        JsonObject Resources()
        {
            var resources = new JsonObject
            {
                ["cpu"] = Quantity.FormatCpu(cpu),
                ["memory"] = Quantity.FormatBytes(memory),
                ["pods"] = "110",
                ["ephemeral-storage"] = "100Gi",
            };
            if (node.Gpu > 0)
            {
                resources["nvidia.com/gpu"] = node.Gpu.ToString(CultureInfo.InvariantCulture);
            }
            return resources;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = node.Name, ["labels"] = labels },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["capacity"] = Resources(),
                ["allocatable"] = Resources(),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status" }),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.32.0-gantry-sandbox", ["operatingSystem"] = "linux", ["architecture"] = "amd64" },
            },
        };
    }

    private static IEnumerable<(string Kind, JsonObject Object)> DefaultRoles()
    {
        JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
        {
            ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]),
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        };
        JsonObject Role(string name, params JsonObject[] rules) => new()
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["rules"] = new JsonArray([.. rules]),
        };
        string[] read = ["get", "list", "watch"];
        yield return ("ClusterRole", Role("cluster-admin", Rule(["*"], ["*"], ["*"])));
        yield return ("ClusterRole", Role("edit", Rule(["", "sparkoperator.k8s.io", "kubeflow.org", "trainer.kubeflow.org", "jobset.x-k8s.io", "batch"], ["*"], ["*"])));
        yield return ("ClusterRole", Role("view", Rule(["", "sparkoperator.k8s.io", "kubeflow.org", "trainer.kubeflow.org", "jobset.x-k8s.io", "batch"], ["*"], read)));
        yield return ("ClusterRoleBinding", new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "ClusterRoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "cluster-admin" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "cluster-admin" },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = "system:masters" }),
        });
    }
}
