using System.Text.Json.Nodes;
using Gantry.Core.Tuning;

namespace Gantry.Core.Tests.Tuning;

public class TrialManifestRendererTests
{
    [Fact]
    public void Katibs_metadata_substitution_example_renders_every_reference()
    {
        var experiment = KatibExperiments.Read("trial-template_trial-metadata-substitution.yaml");

        var job = TrialManifestRenderer.Render(experiment.TrialTemplate,
            [new("lr", "0.025"), new("momentum", "0.7")], "trial-metadata-substitution-ab12cd34", "kubeflow");

        var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Contains("--lr=0.025", container["command"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("--momentum=0.7", container["command"]!.AsArray().Select(c => (string)c!));
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);
        Assert.Equal("trial-metadata-substitution-ab12cd34", env["TRIAL_NAME"]);
        Assert.Equal("kubeflow", env["TRIAL_NAMESPACE"]);
        Assert.Equal("Job", env["TRIAL_KIND"]);
        Assert.Equal("batch/v1", env["TRIAL_API_VERSION"]);
        Assert.Equal("custom-label", env["TRIAL_LABEL_CUSTOM"]);
        Assert.Equal("custom-annotation", env["TRIAL_ANNOTATION_CUSTOM"]);
        Assert.Equal("trial-metadata-substitution-ab12cd34", (string)job["metadata"]!["name"]!);
        Assert.Equal("kubeflow", (string)job["metadata"]!["namespace"]!);
        Assert.DoesNotContain("${trialParameters.", job.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_quotes_stays_inside_its_string_and_the_template_is_left_unchanged()
    {
        var experiment = ExperimentReader.Read(KatibExperiments.Small());
        var before = experiment.TrialTemplate.TrialSpec.ToJsonString();

        var job = TrialManifestRenderer.Render(experiment.TrialTemplate,
            [new("lr", "0.01"), new("layers", "4"), new("opt", "a\"b")], "small-00000000", null);

        var command = job["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(["python3", "train.py", "--lr=0.01", "--layers=4", "--opt=a\"b"], command);
        Assert.Equal(before, experiment.TrialTemplate.TrialSpec.ToJsonString());
        Assert.Null(job["metadata"]!["namespace"]);
    }

    [Fact]
    public void Trial_names_are_the_experiment_and_eight_random_characters_from_the_seed()
    {
        var a = TrialNames.Next("lr-search", new Random(7));
        var b = TrialNames.Next("lr-search", new Random(7));

        Assert.Equal(a, b);
        Assert.Matches("^lr-search-[a-z0-9]{8}$", a);
    }
}
