namespace Gantry.Server.Tests.SparkUi;

/// <summary>
/// A gateway that gives every job's UI its own origin, <c>http://{job id}.ui.gantry.test</c>. There
/// is no DNS for it here: the tests' clients send every such host name to the UI listener, as a
/// wildcard DNS record (or an ingress) would.
/// </summary>
public sealed class PerJobOriginFixture : SparkUiFixture
{
    public const string Origin = "http://*.ui.gantry.test";

    public int UiPort => new Uri(Gateway.UiUrl).Port;

    protected override Dictionary<string, string?> Settings(Dictionary<string, string?> settings)
    {
        settings["Gantry:SparkUi:Origin"] = Origin;
        return settings;
    }
}
