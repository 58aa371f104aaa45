using Xunit;

namespace Gantry.Testing;

/// <summary>One running gateway shared by the tests of a class; each test uses its own jobs.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public TestGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

