using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Nodes;

/// <summary>Two hosts on one PostgreSQL database, as two app nodes behind a load balancer.</summary>
public sealed class PostgresTwoNodes : IAsyncLifetime
{
    public PostgresFactory A { get; } = new();

    public PostgresSecondNode B { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B = new PostgresSecondNode(A);
        await B.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
