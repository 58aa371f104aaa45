using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gantry.Core.Clusters;
using Gantry.Core.Kinds;
using Gantry.Core.Validation;

namespace Gantry.Core.Tuning;

/// <summary>
/// Reads a Katib <c>Experiment</c> from JSON (YAML is converted before it gets here) and checks it
/// with the rules of Katib's admission webhook (<c>validator.go</c>), applying Katib's defaults.
/// Every problem is reported at once, each under its field's path (<c>manifest.spec.parameters[1].feasibleSpace.max</c>).
/// </summary>
public static partial class ExperimentReader
{
    /// <summary>Katib appends a suffix to trial names, hence the 40-character cap on experiment names.</summary>
    public const int MaxNameLength = 40;

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    /// <summary>The experiment, or a ValidationException / NotSupportedYetException naming the fields.</summary>
    public static Experiment Read(JsonObject manifest, string root = "manifest", TuningLimits? limits = null) =>
        Check(manifest, root, limits).Get();

    public static ExperimentCheck Check(JsonObject manifest, string root = "manifest", TuningLimits? limits = null)
    {
        limits ??= TuningLimits.Default;
        var errors = new ValidationErrors();
        var unsupported = new ValidationErrors();
        var read = new ManifestReader(errors);

        var apiVersion = read.String(manifest, root, "apiVersion", required: true);
        if (apiVersion is not null && apiVersion != Experiment.ApiVersion)
        {
            errors.Add($"{root}.apiVersion", $"must be {Experiment.ApiVersion}, not '{apiVersion}'");
        }
        var kind = read.String(manifest, root, "kind", required: true);
        if (kind is not null && kind != Experiment.KindName)
        {
            errors.Add($"{root}.kind", $"must be {Experiment.KindName}, not '{kind}'");
        }
        var (name, ns) = ReadMetadata(read, manifest, root);

        var specPath = $"{root}.spec";
        var spec = read.Object(manifest, root, "spec", required: true);
        var objective = ObjectiveReader.Read(read, spec, specPath, limits);
        var parameters = ParameterReader.ReadAll(read, spec, specPath, limits, unsupported);
        var algorithm = AlgorithmReader.ReadAlgorithm(read, spec, specPath, unsupported);
        var earlyStopping = AlgorithmReader.ReadEarlyStopping(read, spec, specPath);
        var counts = ReadCounts(read, spec, specPath);
        var resume = ReadResumePolicy(read, spec, specPath);
        var collector = MetricsCollectorReader.Read(read, spec, specPath);
        var template = TrialTemplateReader.Read(read, spec, specPath, parameters, limits, unsupported);

        if (algorithm is not null && parameters is not null && spec is not null)
        {
            AlgorithmRules.CheckAgainstSpace(algorithm, parameters, counts.Max, counts.Parallel, errors, specPath, limits);
        }

        var valid = errors.IsEmpty && objective is not null && parameters is not null && algorithm is not null && template is not null;
        var experiment = valid
            ? new Experiment(name, ns, objective!, algorithm!, earlyStopping, parameters!, template!, collector ?? MetricsCollector.Default,
                counts.Parallel, counts.Max, counts.MaxFailed, resume)
            : null;
        return new ExperimentCheck(experiment, errors, unsupported);
    }

    private static (string? Name, string? Namespace) ReadMetadata(ManifestReader read, JsonObject manifest, string root)
    {
        var path = $"{root}.metadata";
        var metadata = read.Object(manifest, root, "metadata");
        // The gateway may name an experiment itself, so the name is optional; when given it must suit Katib.
        var name = read.String(metadata, path, "name");
        if (name is not null)
        {
            if (name.Length > MaxNameLength)
            {
                read.Errors.Add($"{path}.name", $"must be at most {MaxNameLength} characters (trial names append a suffix), not {name.Length}");
            }
            else if (!NamePattern().IsMatch(name))
            {
                read.Errors.Add($"{path}.name", $"'{name}' must be lower-case letters, digits and '-', start with a letter and end with a letter or digit");
            }
        }
        var ns = read.String(metadata, path, "namespace");
        if (ns is { Length: > 0 } && !ClusterRules.IsValidNamespace(ns))
        {
            read.Errors.Add($"{path}.namespace", $"'{ns}' {ClusterRules.NamespaceRule}");
        }
        return (name, ns);
    }

    private readonly record struct Counts(int Parallel, int? Max, int? MaxFailed);

    private static Counts ReadCounts(ManifestReader read, JsonObject? spec, string path)
    {
        var parallel = read.Integer(spec, path, "parallelTrialCount", min: 1, max: int.MaxValue);
        var max = read.Integer(spec, path, "maxTrialCount", min: 1, max: int.MaxValue);
        var maxFailed = read.Integer(spec, path, "maxFailedTrialCount", min: 0, max: int.MaxValue);
        var effectiveParallel = (int)(parallel ?? Experiment.DefaultParallelTrialCount);
        if (max is not null && parallel is not null && parallel > max)
        {
            read.Errors.Add($"{path}.parallelTrialCount", $"must be at most maxTrialCount ({max}), not {parallel}");
        }
        if (max is not null && maxFailed is not null && maxFailed > max)
        {
            read.Errors.Add($"{path}.maxFailedTrialCount", $"must be at most maxTrialCount ({max}), not {maxFailed}");
        }
        return new Counts(effectiveParallel, (int?)max, (int?)maxFailed);
    }

    private static ResumePolicy ReadResumePolicy(ManifestReader read, JsonObject? spec, string path)
    {
        var text = read.String(spec, path, "resumePolicy");
        switch (text)
        {
            case null or "" or "Never":
                return ResumePolicy.Never;
            case "LongRunning":
                return ResumePolicy.LongRunning;
            case "FromVolume":
                return ResumePolicy.FromVolume;
            default:
                read.Errors.Add($"{path}.resumePolicy", $"must be Never, LongRunning or FromVolume, not '{text}'");
                return ResumePolicy.Never;
        }
    }
}
