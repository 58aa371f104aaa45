namespace Gantry.Sandbox.Auth;

/// <summary>
/// What reviewing a bearer token found, as a TokenReview's status says it: the user (null when the
/// token is not good for the asked audiences), the audiences it is good for, and why not otherwise.
/// </summary>
internal sealed record TokenReviewResult(RequestUser? User, IReadOnlyList<string> Audiences, string Error)
{
    /// <summary>The service account's uid (TokenReview's <c>status.user.uid</c>); empty for the admin.</summary>
    public string Uid { get; init; } = "";

    /// <summary><c>status.user.extra</c>: the pod a bound token names, the token's id.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    public static TokenReviewResult Refused(string error) => new(null, [], error);
}
