using Gantry.Core.Clusters;
using Gantry.Core.Users;

namespace Gantry.Core.Tests.Users;

/// <summary>User names: label-like, or an e-mail address as identity providers name people.</summary>
public sealed class UserRulesTests
{
    [Theory]
    [InlineData("ann", true)]
    [InlineData("ann.lee_2", true)]
    [InlineData("ann@example.com", true)]
    [InlineData("ann+ml@corp.example.com", true)]
    [InlineData("Ann@example.com", false)]
    [InlineData("ann@@example.com", false)]
    [InlineData("ann@example@com", false)]
    [InlineData("@example.com", false)]
    [InlineData("ann@", false)]
    [InlineData("ann bob", false)]
    [InlineData("system:serviceaccount:team:sa", false)]
    public void A_name_is_valid_exactly_when_label_like_or_an_email_address(string name, bool valid) =>
        Assert.Equal(valid, UserRules.IsValidName(name));

    [Fact]
    public void An_email_users_share_names_are_dns_labels()
    {
        Assert.Equal("gantry-ann-ml-corp-example-com", ShareNames.DefaultNamespace("ann+ml@corp.example.com"));
        Assert.True(ClusterRules.IsValidNamespace(ShareNames.ServiceAccount("ann+ml@corp.example.com")));
    }
}
