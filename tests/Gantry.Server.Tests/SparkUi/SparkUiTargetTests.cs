using Gantry.Server.SparkUi;

namespace Gantry.Server.Tests.SparkUi;

/// <summary>The raw request target of a Spark UI request: what may be forwarded and what is refused.</summary>
public sealed class SparkUiTargetTests
{
    private const string P = "/api/v1/jobs/abcdefghijkl/spark-ui";

    [Theory]
    [InlineData(P + "/../x", "'..'")]
    [InlineData(P + "/./jobs/", "'..'")]
    [InlineData(P + "/%2e%2e/x", "%2e")]
    [InlineData(P + "/%2E%2e/x", "%2e")]
    [InlineData(P + "/a%2Fb", "%2f")]
    [InlineData(P + "/a%5cb", "%5c")]
    [InlineData(P + "/a%252e", "%25")]
    [InlineData(P + "/a%00", "%00")]
    [InlineData(P + "/a\\b", "backslash")]
    [InlineData(P + "//host/x", "'//'")]
    [InlineData("http://host" + P + "/", "absolute URL")]
    public void Paths_that_could_leave_the_ui_are_refused_saying_why(string rawPath, string reason) =>
        Assert.Contains(reason, SparkUiTarget.Refusal(rawPath), StringComparison.Ordinal);

    [Theory]
    [InlineData(P)]
    [InlineData(P + "/")]
    [InlineData(P + "/jobs/job/")]
    [InlineData(P + "/static/spark-logo-77x50px-hd.png")]
    [InlineData(P + "/api/v1/applications/spark-123/executors")]
    [InlineData(P + "/storage/rdd/my%20rdd")]
    public void Paths_inside_the_ui_pass(string rawPath) => Assert.Null(SparkUiTarget.Refusal(rawPath));

    [Theory]
    [InlineData(P, "", "")]
    [InlineData(P + "/", "/", "")]
    [InlineData(P + "/stages/stage/?id=3&attempt=0", "/stages/stage/", "?id=3&attempt=0")]
    [InlineData(P + "/jobs/#top", "/jobs/", "")]
    public void The_part_under_the_prefix_and_the_query_are_kept_raw(string rawTarget, string rest, string query) =>
        Assert.Equal(new SparkUiTarget(rest, query), SparkUiTarget.Parse(rawTarget));

    [Theory]
    [InlineData("/api/v1/jobs/abc/spark-ui", true)]
    [InlineData("/API/V1/Jobs/abc/Spark-UI/jobs/", true)]
    [InlineData("/api/v1/jobs/abc\\spark-ui\\x", true)]
    [InlineData("/api/v1/jobs/abc/logs", false)]
    [InlineData("/api/v1/jobs", false)]
    [InlineData("/x/api/v1/jobs/abc/spark-ui", false)]
    public void Requests_for_a_ui_are_recognised_as_routing_would_match_them(string path, bool inUi) =>
        Assert.Equal(inUi, SparkUiPaths.IsSparkUiPath(path));
}
