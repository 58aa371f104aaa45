using Gantry.Core.Errors;
using Gantry.Core.Labels;

namespace Gantry.Core.Tests.Labels;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["team"] = "ml",
        ["env"] = "prod",
        ["app.kubernetes.io/name"] = "trainer",
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("team=ml", true)]
    [InlineData("team==ml", true)]
    [InlineData("team=data", false)]
    [InlineData("team!=data", true)]
    [InlineData("missing!=x", true)]
    [InlineData("team", true)]
    [InlineData("!team", false)]
    [InlineData("!missing", true)]
    [InlineData("env in (dev, prod)", true)]
    [InlineData("env notin (dev,prod)", false)]
    [InlineData("team=ml,env=prod,app.kubernetes.io/name=trainer", true)]
    [InlineData("team=ml,env=dev", false)]
    public void Selectors_match_as_Kubernetes_defines_them(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("team=ml,,env=prod")]
    [InlineData("bad key=x")]
    [InlineData("team=not valid")]
    [InlineData("env in dev")]
    public void A_malformed_selector_is_refused_naming_the_field(string selector)
    {
        var error = Assert.Throws<ValidationException>(() => LabelSelector.Parse(selector, "labelSelector"));

        Assert.Contains("labelSelector", error.Errors.Keys);
    }
}
