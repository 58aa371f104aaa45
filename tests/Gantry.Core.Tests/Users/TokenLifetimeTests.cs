using Gantry.Core.Users;

namespace Gantry.Core.Tests.Users;

public sealed class TokenLifetimeTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 30 * 60)]
    [InlineData("12h", 12 * 3600)]
    [InlineData("30d", 30 * 86_400)]
    [InlineData(" 7d ", 7 * 86_400)]
    public void Whole_numbers_with_a_unit_are_read(string text, long seconds)
    {
        Assert.True(TokenLifetime.TryParse(text, out var lifetime, out var problem), problem);
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("1.5h")]
    [InlineData("-1d")]
    [InlineData("+1d")]
    [InlineData("1w")]
    [InlineData("1D")]
    [InlineData("1h30m")]
    [InlineData("P1D")]
    [InlineData("1234567890d")]
    [InlineData("１d")]
    public void Anything_else_is_refused_saying_what_is_expected(string? text)
    {
        Assert.False(TokenLifetime.TryParse(text, out _, out var problem));
        Assert.Contains("30d", problem);
    }

    [Fact]
    public void Zero_is_refused_as_too_short_and_more_than_the_maximum_names_the_maximum_and_its_key()
    {
        Assert.False(TokenLifetime.TryParse("0m", out _, out var zero));
        Assert.False(TokenLifetime.TryParse("366d", TimeSpan.FromDays(365), out _, out var tooLong));
        Assert.True(TokenLifetime.TryParse("365d", TimeSpan.FromDays(365), out _, out _));

        Assert.False(TokenLifetime.TryParse("999999999d", out _, out var huge));
        Assert.False(TokenLifetime.TryParse("36501d", out _, out _));
        Assert.True(TokenLifetime.TryParse("36500d", out _, out _));

        Assert.Contains("at most 36500d", huge);
        Assert.Contains("longer than zero", zero);
        Assert.Contains("365d", tooLong);
        Assert.Contains("Gantry:Tokens:MaxLifetimeDays", tooLong);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(120, "2m")]
    [InlineData(7200, "2h")]
    [InlineData(86_400 * 30, "30d")]
    public void Describe_gives_the_shortest_exact_form(long seconds, string expected)
    {
        Assert.Equal(expected, TokenLifetime.Describe(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Token_ids_are_public_short_and_distinct_and_expiry_is_exclusive_of_its_instant()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ApiToken.NewId()).ToList();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var token = new UserToken(ids[0], "ann", "", at, at.AddHours(1), null);

        Assert.All(ids, id => Assert.Matches("^tok_[0-9a-f]{16}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.False(token.IsExpired(at.AddMinutes(59)));
        Assert.True(token.IsExpired(at.AddHours(1)));
        Assert.False((token with { ExpiresAt = null }).IsExpired(DateTimeOffset.MaxValue));
    }
}
