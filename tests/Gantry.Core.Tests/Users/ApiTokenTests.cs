using Gantry.Core.Users;

namespace Gantry.Core.Tests.Users;

public sealed class ApiTokenTests
{
    [Fact]
    public void Tokens_are_random_prefixed_and_hash_to_a_stable_value_that_does_not_contain_them()
    {
        var a = ApiToken.New();
        var b = ApiToken.New();

        Assert.NotEqual(a, b);
        Assert.StartsWith(ApiToken.Prefix, a);
        Assert.Equal(ApiToken.Prefix.Length + 64, a.Length);
        Assert.Equal(ApiToken.Hash(a), ApiToken.Hash(a));
        Assert.NotEqual(ApiToken.Hash(a), ApiToken.Hash(b));
        Assert.DoesNotContain(a[ApiToken.Prefix.Length..], ApiToken.Hash(a));
    }
}
