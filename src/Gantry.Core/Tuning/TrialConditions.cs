namespace Gantry.Core.Tuning;

/// <summary>
/// Katib's default success and failure conditions (GJSON over the job object) for the kinds it
/// knows (<c>experiments/v1beta1/constants.go</c>). Gantry's own Command kind needs none: Gantry
/// decides its outcome itself.
/// </summary>
public static class TrialConditions
{
    public const string CommandKind = "Command";

    private const string JobSuccess = """status.conditions.#(type=="Complete")#|#(status=="True")#""";
    private const string TrainingSuccess = """status.conditions.#(type=="Succeeded")#|#(status=="True")#""";
    private const string AnyFailure = """status.conditions.#(type=="Failed")#|#(status=="True")#""";

    public static (string Success, string Failure)? Defaults(string? apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("batch/v1", "Job") => (JobSuccess, AnyFailure),
        ("kubeflow.org/v1", "TFJob" or "PyTorchJob" or "XGBoostJob" or "MPIJob") => (TrainingSuccess, AnyFailure),
        ("trainer.kubeflow.org/v1alpha1", "TrainJob") => (JobSuccess, AnyFailure),
        _ => null,
    };
}
