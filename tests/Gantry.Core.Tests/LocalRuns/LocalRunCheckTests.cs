using System.Text.Json.Nodes;
using Gantry.Core.LocalRuns;
using Gantry.Core.Tests.Support;
using static Gantry.Core.Tests.Support.Manifests;

namespace Gantry.Core.Tests.LocalRuns;

public class LocalRunCheckTests
{
    private const string NoCommand = "container pytorch has no command; its image's entrypoint cannot run here";

    // A gateway with Debian's python3 and a torchrun, and one user's script; nothing from any image.
    private static readonly LocalMachine Gateway = new(
        "/usr/local/bin:/usr/bin:relative/bin",
        new MachineFilesTable(
            ("/usr/bin/python3", FileKind.Executable),
            ("/usr/local/bin/torchrun", FileKind.Executable),
            ("/usr/bin/notes.txt", FileKind.File),
            ("/home/me/train.py", FileKind.File),
            ("/home/me/project/demo.py", FileKind.File),
            ("/home/me/project", FileKind.Directory),
            ("/opt/venv/bin/python3", FileKind.Executable),
            ("/opt/spark/app.jar", FileKind.File)),
        SparkApplications: true);

    private static JsonObject PyTorchJob(string container, string? worker = null) => FromYaml($$"""
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata: {name: t}
        spec:
          pytorchReplicaSpecs:
            Master:
              replicas: 1
              template:
                spec:
                  containers:
                  - {{container}}
            Worker:
              replicas: 2
              template:
                spec:
                  containers:
                  - {{worker ?? container}}
        """);

    private static string? WhyNot(JsonObject manifest, string kind = "PyTorchJob") => LocalRunCheck.WhyNot(kind, manifest, Gateway);

    public static TheoryData<string, string> Examples => new()
    {
        { "jax_cpu-demo_demo.yaml", "container jax runs train.py, a relative path, but a job starts in its own new, empty directory on the gateway's machine" },
        { "jax_jax-dist-spmd-mnist_jaxjob_dist_spmd_mnist_gloo.yaml", "container jax has no command; its image's entrypoint cannot run here" },
        { "pytorch_cpu-demo_demo.yaml", "container pytorch runs demo.py, a relative path, but a job starts in its own new, empty directory on the gateway's machine" },
        { "pytorch_deepspeed-demo_pytorch_deepspeed_demo.yaml", "container pytorch runs /train_bert_ds.py, which does not exist on the gateway's machine" },
        { "pytorch_elastic_echo_echo.yaml", "container pytorch runs python, which is not on the PATH a job gets on the gateway's machine" },
        // Only args: they go to the image's entrypoint, which does not exist here.
        { "pytorch_mnist_v1_pytorch_job_mnist_gloo.yaml", NoCommand },
        { "pytorch_simple.yaml", "container pytorch runs /opt/pytorch-mnist/mnist.py, which does not exist on the gateway's machine" },
        { "pytorch_smoke-dist_pytorch_job_sendrecv.yaml", NoCommand },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void No_training_operator_example_can_run_on_a_gateway_without_its_image_and_each_says_why(string file, string why)
    {
        var manifest = Assert.Single(TrainingExamples.Load(file, file.StartsWith("jax", StringComparison.Ordinal) ? "JAXJob" : "PyTorchJob"));

        Assert.Equal(why, LocalRunCheck.WhyNot(manifest["kind"]!.GetValue<string>(), manifest, Gateway));
    }

    [Fact]
    public void Every_example_file_is_in_the_table()
    {
        Assert.Equal(TrainingExamples.AllFiles.Order(StringComparer.Ordinal), Examples.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{name: pytorch, image: i, command: [python3, /home/me/train.py, --epochs=1]}")]
    [InlineData("{name: pytorch, image: i, command: [/usr/bin/python3], args: [/home/me/train.py]}")]
    // Inline code is not a path, however it reads.
    [InlineData("{name: pytorch, image: i, command: [python3, -c, \"import os; print(os.path.join('/x', 'y.py'))\"]}")]
    [InlineData("{name: pytorch, image: i, command: [python3, -c, /nowhere/x.py]}")]
    // A relative script is found in an absolute working directory.
    [InlineData("{name: pytorch, image: i, workingDir: /home/me/project, command: [torchrun, --nproc_per_node=2, demo.py]}")]
    // The container's own PATH is the one searched.
    [InlineData("{name: pytorch, image: i, env: [{name: PATH, value: /opt/venv/bin}], command: [python3, /home/me/train.py]}")]
    // Arguments that are not scripts (data directories, options, URLs) are the program's business.
    [InlineData("{name: pytorch, image: i, command: [python3, /home/me/train.py, --checkpoint_dir, /root/data, --config=/etc/x.py, https://example.com/a.py]}")]
    public void A_command_whose_program_and_script_are_on_the_machine_can_run_there(string container)
    {
        Assert.Null(WhyNot(PyTorchJob(container)));
    }

    [Theory]
    [InlineData("{name: pytorch, image: i}", NoCommand)]
    [InlineData("{name: pytorch, image: i, command: []}", NoCommand)]
    [InlineData("{name: pytorch, image: i, args: [--backend, gloo]}", NoCommand)]
    [InlineData("{name: pytorch, image: i, command: [julia, /home/me/train.py]}", "container pytorch runs julia, which is not on the PATH a job gets on the gateway's machine")]
    [InlineData("{name: pytorch, image: i, command: [/usr/bin/python2]}", "container pytorch runs /usr/bin/python2, which does not exist on the gateway's machine")]
    [InlineData("{name: pytorch, image: i, command: [/usr/bin/notes.txt]}", "container pytorch runs /usr/bin/notes.txt, which is not executable on the gateway's machine")]
    [InlineData("{name: pytorch, image: i, command: [/home/me/project]}", "container pytorch runs /home/me/project, which is a directory on the gateway's machine")]
    [InlineData("{name: pytorch, image: i, command: [./run.sh]}", "container pytorch runs ./run.sh, a relative path, but a job starts in its own new, empty directory on the gateway's machine")]
    [InlineData("{name: pytorch, image: i, command: [python3, /home/me/missing.py]}", "container pytorch runs /home/me/missing.py, which does not exist on the gateway's machine")]
    [InlineData("{name: pytorch, image: i, workingDir: /home/me/project, command: [python3, train.py]}", "container pytorch runs train.py, which does not exist on the gateway's machine")]
    // A relative workingDir is under the job's new directory, so it is empty too.
    [InlineData("{name: pytorch, image: i, workingDir: project, command: [python3, demo.py]}", "container pytorch runs demo.py, a relative path, but a job starts in its own new, empty directory on the gateway's machine")]
    // The machine's python3 is not on the PATH the container sets.
    [InlineData("{name: pytorch, image: i, env: [{name: PATH, value: /nowhere}], command: [python3, /home/me/train.py]}", "container pytorch runs python3, which is not on the PATH a job gets on the gateway's machine")]
    public void A_command_that_cannot_run_on_the_machine_makes_local_ineligible_with_the_reason(string container, string why)
    {
        Assert.Equal(why, WhyNot(PyTorchJob(container)));
    }

    [Fact]
    public void A_program_only_in_a_relative_PATH_entry_or_a_PATH_the_job_does_not_get_is_not_found()
    {
        var machine = Gateway with { SearchPath = "relative/bin:/usr/bin" };
        var manifest = PyTorchJob("{name: pytorch, image: i, command: [torchrun, /home/me/train.py]}");

        Assert.Equal("container pytorch runs torchrun, which is not on the PATH a job gets on the gateway's machine", LocalRunCheck.WhyNot("PyTorchJob", manifest, machine));
        Assert.Null(LocalRunCheck.WhyNot("PyTorchJob", manifest, Gateway));
    }

    [Fact]
    public void Every_container_of_every_replica_must_be_able_to_run()
    {
        const string runs = "{name: pytorch, image: i, command: [python3, /home/me/train.py]}";

        Assert.Equal(NoCommand, WhyNot(PyTorchJob(runs, worker: "{name: pytorch, image: i}")));
        var sidecar = PyTorchJob(runs);
        ((JsonArray)sidecar["spec"]!["pytorchReplicaSpecs"]!["Worker"]!["template"]!["spec"]!["containers"]!).Add(FromYaml("{name: logs, image: fluentbit}"));
        Assert.Equal("container logs has no command; its image's entrypoint cannot run here", WhyNot(sidecar));
    }

    [Fact]
    public void A_JAXJob_is_checked_like_a_PyTorchJob()
    {
        var manifest = FromYaml("""
            kind: JAXJob
            spec:
              jaxReplicaSpecs:
                worker:
                  replicas: 2
                  template: {spec: {containers: [{name: jax, image: i}]}}
            """);

        Assert.Equal("container jax has no command; its image's entrypoint cannot run here", WhyNot(manifest, "JAXJob"));
        manifest["spec"]!["jaxReplicaSpecs"]!["worker"]!["template"]!["spec"]!["containers"]![0]!["command"] = new JsonArray("python3", "/home/me/train.py");
        Assert.Null(WhyNot(manifest, "JAXJob"));
    }

    [Fact]
    public void A_Command_job_is_never_refused_because_it_has_no_image_to_fall_back_on()
    {
        var manifest = FromYaml("{kind: Command, spec: {command: [/no/such/program]}}");

        Assert.Null(WhyNot(manifest, "Command"));
    }

    [Theory]
    [InlineData("local:///opt/spark/app.jar", null)]
    [InlineData("/opt/spark/app.jar", null)]
    [InlineData("file:///opt/spark/app.jar", null)]
    [InlineData("https://example.com/app.jar", null)]
    [InlineData("s3a://bucket/app.py", null)]
    [InlineData("local:///opt/spark/examples/jars/spark-examples.jar", "the application file local:///opt/spark/examples/jars/spark-examples.jar does not exist on the gateway's machine")]
    [InlineData("app.py", "the application file app.py is a relative path, but a job starts in its own new, empty directory on the gateway's machine")]
    public void A_SparkApplication_run_locally_needs_its_application_file_on_the_machine(string file, string? why)
    {
        var manifest = FromYaml($"{{kind: SparkApplication, spec: {{mainApplicationFile: '{file}'}}}}");

        Assert.Equal(why, WhyNot(manifest, "SparkApplication"));
        // Where local does not run Spark, it is not asked to: the kind alone keeps the job elsewhere.
        Assert.Null(LocalRunCheck.WhyNot("SparkApplication", manifest, Gateway with { SparkApplications = false }));
    }
}
