using Gantry.Backends.Local;
using Gantry.Core.Jobs;

namespace Gantry.Server.Tests.Local;

/// <summary>The local backend's pure parts as data: replica expansion and environment, the status rule, the spark-submit line.</summary>
public sealed class LocalPlanTests
{
    private const string PyTorch = """
        {"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": {"name": "mnist"},
         "spec": {"nprocPerNode": "1", "pytorchReplicaSpecs": {
           "worker": {"replicas": 2, "template": {"spec": {"containers": [
             {"name": "sidecar", "image": "x", "command": ["nope"]},
             {"name": "pytorch", "image": "train:1", "command": ["python3", "train.py"], "args": ["--epochs", "1"], "workingDir": "/srv/code",
              "env": [{"name": "MASTER_PORT", "value": "1"}, {"name": "LR", "value": "0.1"}, {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]}]}}},
           "Master": {"replicas": 1, "restartPolicy": "Never", "template": {"spec": {"containers": [
             {"name": "pytorch", "image": "train:1", "command": ["python3", "train.py"]}]}}}}}}
        """;

    private const string Jax = """
        {"apiVersion": "kubeflow.org/v1", "kind": "JAXJob", "metadata": {"name": "j"},
         "spec": {"jaxReplicaSpecs": {"Worker": {"replicas": 3, "template": {"spec": {"containers": [
           {"name": "jax", "image": "jax:1", "command": ["python3"], "args": ["train.py"]}]}}}}}}
        """;

    [Fact]
    public void A_PyTorchJob_expands_master_first_with_the_operators_environment_on_127_0_0_1_and_the_jobs_port()
    {
        var plan = ReplicaPlan.For("PyTorchJob", PyTorch, 40123);

        Assert.Equal(["master-0", "worker-0", "worker-1"], plan.Replicas.Select(r => r.Name));
        Assert.Equal("master-0", plan.Primary);
        Assert.True(plan.HasMaster);
        for (var rank = 0; rank < 3; rank++)
        {
            var env = plan.Replicas[rank].Env;
            Assert.Equal("127.0.0.1", env["MASTER_ADDR"]);
            Assert.Equal("127.0.0.1", env["PET_MASTER_ADDR"]);
            Assert.Equal("40123", env["MASTER_PORT"]);
            Assert.Equal("40123", env["PET_MASTER_PORT"]);
            Assert.Equal("3", env["WORLD_SIZE"]);
            Assert.Equal($"{rank}", env["RANK"]);
            Assert.Equal($"{rank}", env["PET_NODE_RANK"]);
            Assert.Equal("1", env["PET_NPROC_PER_NODE"]);
            Assert.Equal("3", env["PET_NNODES"]);
            Assert.Equal("1", env["PYTHONUNBUFFERED"]);
        }
        var worker = plan.Replicas[1];
        Assert.Equal(["python3", "train.py", "--epochs", "1"], worker.Command);
        Assert.Equal("/srv/code", worker.WorkingDir);
        Assert.Equal("0.1", worker.Env["LR"]);
        Assert.False(worker.Env.ContainsKey("POD_IP"));
        Assert.Equal("OnFailure", worker.RestartPolicy);
        Assert.Equal("Never", plan.Replicas[0].RestartPolicy);
        Assert.Contains(plan.Notes, n => n.Contains("'POD_IP' uses valueFrom", StringComparison.Ordinal));
    }

    [Fact]
    public void World_size_counts_nproc_per_node_and_auto_is_passed_verbatim()
    {
        var four = ReplicaPlan.For("PyTorchJob", PyTorch.Replace("\"nprocPerNode\": \"1\"", "\"nprocPerNode\": \"4\"", StringComparison.Ordinal), 1);
        var auto = ReplicaPlan.For("PyTorchJob", PyTorch.Replace("\"nprocPerNode\": \"1\", ", "", StringComparison.Ordinal), 1);

        Assert.Equal("12", four.Replicas[0].Env["WORLD_SIZE"]);
        Assert.Equal("4", four.Replicas[0].Env["PET_NPROC_PER_NODE"]);
        Assert.Equal("3", auto.Replicas[0].Env["WORLD_SIZE"]);
        Assert.Equal("auto", auto.Replicas[0].Env["PET_NPROC_PER_NODE"]);
    }

    [Fact]
    public void Nproc_per_node_above_one_is_noted_and_the_deprecated_elastic_value_reaches_torchrun_but_not_the_world_size()
    {
        var two = ReplicaPlan.For("PyTorchJob", PyTorch.Replace("\"nprocPerNode\": \"1\"", "\"nprocPerNode\": \"2\"", StringComparison.Ordinal), 1);
        var elastic = ReplicaPlan.For("PyTorchJob", PyTorch.Replace("\"nprocPerNode\": \"1\"", "\"elasticPolicy\": {\"nProcPerNode\": 3}", StringComparison.Ordinal), 1);

        Assert.Contains(two.Notes, n => n.StartsWith("nprocPerNode 2: WORLD_SIZE counts 2 processes per replica", StringComparison.Ordinal));
        Assert.Equal("6", two.Replicas[2].Env["WORLD_SIZE"]);
        Assert.Equal("3", elastic.Replicas[0].Env["PET_NPROC_PER_NODE"]);
        Assert.Equal("3", elastic.Replicas[0].Env["WORLD_SIZE"]);
        Assert.DoesNotContain(ReplicaPlan.For("PyTorchJob", PyTorch, 1).Notes, n => n.StartsWith("nprocPerNode", StringComparison.Ordinal));
    }

    [Fact]
    public void The_run_policy_gives_the_backoff_limit_the_deadline_and_the_job_name()
    {
        var plan = ReplicaPlan.For("PyTorchJob", PyTorch.Replace("\"nprocPerNode\": \"1\"", "\"runPolicy\": {\"backoffLimit\": 3, \"activeDeadlineSeconds\": 60.0}", StringComparison.Ordinal), 1);
        var none = ReplicaPlan.For("JAXJob", Jax, 1);

        Assert.Equal("mnist", plan.JobName);
        Assert.Equal(3, plan.BackoffLimit);
        Assert.Equal(60, plan.ActiveDeadlineSeconds);
        Assert.Null(none.BackoffLimit);
        Assert.Null(none.ActiveDeadlineSeconds);
    }

    [Theory]
    [InlineData("Never", 1, false)]
    [InlineData("Never", 137, false)]
    [InlineData("OnFailure", 0, false)]
    [InlineData("OnFailure", 1, true)]
    [InlineData("Always", 0, true)]
    [InlineData("Always", 2, true)]
    [InlineData("ExitCode", 1, false)]
    [InlineData("ExitCode", 127, false)]
    [InlineData("ExitCode", 128, true)]
    [InlineData("ExitCode", 137, true)]
    public void A_replica_runs_again_by_its_restart_policy_and_exit_code_ExitCode_retrying_only_128_and_above(string policy, int exitCode, bool restarts) =>
        Assert.Equal(restarts, RestartRule.Restarts(policy, exitCode));

    [Theory]
    [InlineData(null, 100, false)]
    [InlineData(0, 1, true)]
    [InlineData(1, 1, true)]
    [InlineData(3, 2, false)]
    [InlineData(3, 3, true)]
    public void The_backoff_limit_is_reached_as_the_operator_counts_it(int? limit, int restarts, bool reached) =>
        Assert.Equal(reached, RestartRule.ReachesBackoffLimit(limit, restarts));

    [Fact]
    public void A_JAXJob_expands_its_workers_with_the_coordinator_on_127_0_0_1()
    {
        var plan = ReplicaPlan.For("JAXJob", Jax, 40999);

        Assert.Equal(["worker-0", "worker-1", "worker-2"], plan.Replicas.Select(r => r.Name));
        Assert.Equal("worker-0", plan.Primary);
        for (var id = 0; id < 3; id++)
        {
            var env = plan.Replicas[id].Env;
            Assert.Equal("127.0.0.1", env["COORDINATOR_ADDRESS"]);
            Assert.Equal("40999", env["COORDINATOR_PORT"]);
            Assert.Equal("3", env["NUM_PROCESSES"]);
            Assert.Equal($"{id}", env["PROCESS_ID"]);
            Assert.False(env.ContainsKey("MASTER_ADDR"));
        }
        Assert.Equal(["python3", "train.py"], plan.Replicas[0].Command);
        Assert.Equal("Never", plan.Replicas[0].RestartPolicy);
    }

    [Fact]
    public void The_status_rule_is_the_operators_master_decides_else_all_workers_and_any_failure_fails()
    {
        var pytorch = ReplicaPlan.For("PyTorchJob", PyTorch, 1);
        var jax = ReplicaPlan.For("JAXJob", Jax, 1);

        Assert.Null(LocalJobRun.Decide("j", pytorch, Ended(("worker-0", 0), ("worker-1", 0))));
        Assert.Equal(JobState.Succeeded, LocalJobRun.Decide("j", pytorch, Ended(("master-0", 0)))!.State);
        var failed = LocalJobRun.Decide("j", pytorch, Ended(("worker-1", 3)))!;
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("replica worker-1 failed with exit code 3; the other replicas were terminated", failed.Reason);
        Assert.Equal("replica master-0 ended without an exit code (killed by a signal); the other replicas were terminated",
            LocalJobRun.Decide("j", pytorch, Ended(("master-0", null)))!.Reason);

        Assert.Null(LocalJobRun.Decide("j", jax, Ended(("worker-0", 0), ("worker-2", 0))));
        Assert.Equal("all 3 workers succeeded", LocalJobRun.Decide("j", jax, Ended(("worker-0", 0), ("worker-1", 0), ("worker-2", 0)))!.Reason);
        Assert.Equal("replica worker-2 failed with exit code 137 (killed by signal 9); the other replicas were terminated",
            LocalJobRun.Decide("j", jax, Ended(("worker-2", 137)))!.Reason);
    }

    [Fact]
    public void The_spark_submit_line_runs_local_with_cores_capped_by_the_machine_conf_deps_and_the_ui_port()
    {
        const string manifest = """
            {"apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication", "metadata": {"name": "pi"},
             "spec": {"type": "Scala", "sparkVersion": "3.5.0", "mainClass": "org.apache.spark.examples.SparkPi",
                      "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar", "arguments": ["100", "--fast"],
                      "sparkConf": {"spark.sql.shuffle.partitions": "8", "spark.ui.port": "4040"},
                      "deps": {"jars": ["local:///opt/extra.jar", "/srv/other.jar"], "pyFiles": ["local:///srv/lib.zip"], "files": ["/etc/app.conf"]},
                      "driver": {"cores": 1, "memory": "512m"}, "executor": {"cores": 2, "instances": 3, "memory": "1g"}}}
            """;

        var argv = SparkSubmitCommand.Build("/opt/spark/bin/spark-submit", manifest, machineCores: 4, uiPort: 41234);

        Assert.Equal(
            ["/opt/spark/bin/spark-submit", "--master", "local[4]", "--name", "pi", "--class", "org.apache.spark.examples.SparkPi",
             "--driver-memory", "512m", "--conf", "spark.sql.shuffle.partitions=8", "--conf", "spark.ui.port=41234",
             "--jars", "/opt/extra.jar,/srv/other.jar", "--py-files", "/srv/lib.zip", "--files", "/etc/app.conf",
             "/opt/spark/examples/jars/spark-examples.jar", "100", "--fast"],
            argv);
        Assert.Equal("local[7]", SparkSubmitCommand.Build("spark-submit", manifest, machineCores: 16, uiPort: 1)[2]);
    }

    [Fact]
    public void The_spark_submit_line_sets_the_gateways_ui_proxy_base_over_the_manifests()
    {
        const string manifest = """
            {"kind": "SparkApplication", "metadata": {"name": "etl"},
             "spec": {"type": "Python", "mainApplicationFile": "/srv/etl.py", "sparkConf": {"spark.ui.proxyBase": "/mine"}}}
            """;

        var argv = SparkSubmitCommand.Build("spark-submit", manifest, machineCores: 8, uiPort: 5000, uiProxyBase: "/api/v1/jobs/abcdefghijkl/spark-ui");

        Assert.Equal(
            ["spark-submit", "--master", "local[2]", "--name", "etl", "--conf", "spark.ui.port=5000",
             "--conf", "spark.ui.proxyBase=/api/v1/jobs/abcdefghijkl/spark-ui", "/srv/etl.py"],
            argv);
    }

    [Fact]
    public void A_python_spark_app_without_executor_settings_asks_two_threads()
    {
        const string manifest = """
            {"kind": "SparkApplication", "metadata": {"name": "etl"},
             "spec": {"type": "Python", "sparkVersion": "3.5.0", "mainApplicationFile": "/srv/etl.py", "driver": {}, "executor": {}}}
            """;

        Assert.Equal(
            ["spark-submit", "--master", "local[2]", "--name", "etl", "--conf", "spark.ui.port=5000", "/srv/etl.py"],
            SparkSubmitCommand.Build("spark-submit", manifest, machineCores: 8, uiPort: 5000));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("2\n2\n", 2)]
    [InlineData(" 1 \n", 1)]
    [InlineData("No devices were found\n", 0)]
    public void The_gpu_count_is_read_from_nvidia_smi_output(string output, int gpus) =>
        Assert.Equal(gpus, MachineCapacityGpu(output));

    private static int MachineCapacityGpu(string output) => MachineCapacity.ParseGpuCount(output);

    private static Dictionary<string, int?> Ended(params (string Name, int? Code)[] replicas) =>
        replicas.ToDictionary(r => r.Name, r => r.Code);
}
