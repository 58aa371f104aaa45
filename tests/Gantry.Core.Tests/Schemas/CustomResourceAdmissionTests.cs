using System.Text.Json.Nodes;
using Gantry.Core.Schemas;
using Gantry.Core.Tests.Support;
using static Gantry.Core.Tests.Support.Manifests;

namespace Gantry.Core.Tests.Schemas;

/// <summary>The schema steps against the operators' real CRDs, as the API server applies them.</summary>
public class CustomResourceAdmissionTests
{
    private static SchemaNode SparkSchema => Crds.SparkApplication.StorageVersion.Schema!;

    private static JsonObject SparkPi() => FromYaml("""
        apiVersion: sparkoperator.k8s.io/v1beta2
        kind: SparkApplication
        metadata:
          name: pi
        spec:
          type: Scala
          mode: cluster
          image: spark:4.0.0
          mainClass: org.apache.spark.examples.SparkPi
          mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
          sparkVersion: 4.0.0
          driver:
            cores: 1
            memory: 512m
          executor:
            instances: 2
            cores: 1
            memory: 512m
        """);

    [Theory]
    [MemberData(nameof(SparkExamples))]
    public void Every_spark_operator_example_passes_its_CRD(string file) => AssertExamplePasses("spark-operator", file);

    [Theory]
    [MemberData(nameof(TrainingExamples))]
    public void Every_training_operator_example_passes_its_CRD(string file) => AssertExamplePasses("training-operator", file);

    public static TheoryData<string> SparkExamples => ExampleManifests.Files("spark-operator");

    public static TheoryData<string> TrainingExamples => ExampleManifests.Files("training-operator");

    [Fact]
    public void A_missing_required_field_is_FieldValueRequired_at_its_path()
    {
        var app = SparkPi().Without("spec/driver");

        var cause = Assert.Single(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal(new SchemaCause(CauseReasons.Required, "spec.driver", "Required value"), cause);
    }

    [Fact]
    public void Zero_executors_is_invalid_with_the_api_servers_wording()
    {
        var app = SparkPi().Set("spec/executor/instances", 0);

        var cause = Assert.Single(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal(CauseReasons.Invalid, cause.Reason);
        Assert.Equal("spec.executor.instances", cause.Field);
        Assert.Equal("Invalid value: 0: spec.executor.instances in body should be greater than or equal to 1", cause.Message);
    }

    [Fact]
    public void A_type_outside_the_enum_is_not_supported_and_lists_the_allowed_values()
    {
        var app = SparkPi().Set("spec/type", "Go");

        var cause = Assert.Single(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal(CauseReasons.NotSupported, cause.Reason);
        Assert.Equal("spec.type", cause.Field);
        Assert.Equal("Unsupported value: \"Go\": supported values: \"Java\", \"Python\", \"Scala\", \"R\"", cause.Message);
    }

    [Fact]
    public void A_string_where_an_integer_belongs_is_a_type_error()
    {
        var app = SparkPi().Set("spec/driver/cores", "two");

        var cause = Assert.Single(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal(CauseReasons.TypeInvalid, cause.Reason);
        Assert.Equal("spec.driver.cores", cause.Field);
        Assert.Contains("must be of type integer", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_failure_is_reported_not_just_the_first()
    {
        var app = SparkPi().Without("spec/sparkVersion").Set("spec/executor/instances", 0).Set("spec/mode", "local");

        var fields = CustomResourceAdmission.Admit(SparkSchema, app).Select(c => c.Field).Order(StringComparer.Ordinal);

        Assert.Equal(["spec.executor.instances", "spec.mode", "spec.sparkVersion"], fields);
    }

    [Fact]
    public void Unknown_fields_are_pruned_but_the_schemaless_pod_template_is_kept()
    {
        var app = SparkPi()
            .Set("spec/bogus", "x")
            .Set("spec/driver/favouriteColour", "blue")
            .Set("spec/driver/template/spec/anything", "kept");

        Assert.Empty(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Null(app["spec"]!["bogus"]);
        Assert.False(((JsonObject)app["spec"]!["driver"]!).ContainsKey("favouriteColour"));
        Assert.Equal("kept", (string?)app["spec"]!["driver"]!["template"]!["spec"]!["anything"]);
        Assert.Equal("pi", (string?)app["metadata"]!["name"]);
    }

    [Fact]
    public void Defaults_are_applied_inside_objects_that_are_present()
    {
        var sidecar = new JsonObject { ["name"] = "s", ["image"] = "x", ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }) };
        var app = SparkPi().Set("spec/driver/sidecars", new JsonArray(sidecar));

        Assert.Empty(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal("TCP", (string?)app["spec"]!["driver"]!["sidecars"]![0]!["ports"]![0]!["protocol"]);
    }

    [Fact]
    public void A_null_in_a_field_that_is_not_nullable_is_dropped_then_checked_as_missing()
    {
        var app = SparkPi().Set("spec/driver/labels", null).Set("spec/sparkVersion", null);

        var cause = Assert.Single(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal("spec.sparkVersion", cause.Field);
        Assert.False(((JsonObject)app["spec"]!["driver"]!).ContainsKey("labels"));
    }

    [Fact]
    public void Map_values_are_checked_under_their_key_joined_with_a_dot()
    {
        var app = SparkPi().Set("spec/sparkConf", new JsonObject { ["spark.ui.port"] = 4040 });

        var cause = Assert.Single(CustomResourceAdmission.Admit(SparkSchema, app));

        Assert.Equal("spec.sparkConf.spark.ui.port", cause.Field);
        Assert.Equal(CauseReasons.TypeInvalid, cause.Reason);
    }

    [Fact]
    public void Training_replica_counts_accept_integers_and_reject_text()
    {
        var job = FromYaml("""
            apiVersion: kubeflow.org/v1
            kind: PyTorchJob
            metadata: {name: t}
            spec:
              pytorchReplicaSpecs:
                Worker:
                  replicas: many
                  template:
                    spec:
                      containers: [{name: pytorch, image: x}]
            """);

        var cause = Assert.Single(CustomResourceAdmission.Admit(Crds.PyTorchJob.StorageVersion.Schema!, job));

        Assert.Equal("spec.pytorchReplicaSpecs.Worker.replicas", cause.Field);
    }

    [Fact]
    public void The_invalid_message_names_kind_group_and_name_and_brackets_several_causes()
    {
        SchemaCause[] causes =
        [
            new(CauseReasons.Required, "spec.driver", "Required value"),
            new(CauseReasons.Invalid, "spec.executor.instances", "Invalid value: 0: spec.executor.instances in body should be greater than or equal to 1"),
        ];

        Assert.Equal(
            "SparkApplication.sparkoperator.k8s.io \"g-1\" is invalid: spec.driver: Required value",
            CustomResourceAdmission.InvalidMessage("SparkApplication", "sparkoperator.k8s.io", "g-1", causes[..1]));
        Assert.Equal(
            "SparkApplication.sparkoperator.k8s.io \"g-1\" is invalid: [spec.driver: Required value, spec.executor.instances: Invalid value: 0: spec.executor.instances in body should be greater than or equal to 1]",
            CustomResourceAdmission.InvalidMessage("SparkApplication", "sparkoperator.k8s.io", "g-1", causes));
    }

    private static void AssertExamplePasses(string operatorName, string file)
    {
        var documents = ExampleManifests.Load(operatorName, file, "SparkApplication", "ScheduledSparkApplication", "PyTorchJob", "JAXJob");
        Assert.NotEmpty(documents);
        foreach (var manifest in documents)
        {
            var crd = Crds.ForKind((string)manifest["kind"]!);
            var causes = CustomResourceAdmission.Admit(crd.StorageVersion.Schema!, manifest);
            Assert.True(causes.Count == 0, $"{file}: {string.Join("; ", causes)}");
        }
    }
}
