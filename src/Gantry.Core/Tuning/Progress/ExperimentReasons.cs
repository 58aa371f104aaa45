namespace Gantry.Core.Tuning.Progress;

/// <summary>Katib's condition reasons and messages, word for word, so tools that read Katib's status read Gantry's.</summary>
public static class ExperimentReasons
{
    public const string Created = "ExperimentCreated";
    public const string Running = "ExperimentRunning";
    public const string Restarting = "ExperimentRestarting";
    public const string GoalReached = "ExperimentGoalReached";
    public const string MaxTrialsReached = "ExperimentMaxTrialsReached";
    public const string SuggestionEndReached = "ExperimentSuggestionEndReached";
    public const string Failed = "ExperimentFailed";

    public const string CreatedMessage = "Experiment is created";
    public const string RunningMessage = "Experiment is running";
    public const string GoalReachedMessage = "Experiment has succeeded because Objective goal has reached";
    public const string MaxTrialsReachedMessage = "Experiment has succeeded because max trial count has reached";
    public const string SuggestionEndReachedMessage = "Experiment has succeeded because suggestion service has reached the end";
    public const string MaxFailedMessage = "Experiment has failed because max failed count has reached";
}
