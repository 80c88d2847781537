using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Nodes;
using Switchboard.Host.Tests.Infrastructure;
using Switchboard.Tickets;

namespace Switchboard.Host.Tests.Nodes;

/// <summary>One node alone: its own listeners hear its changes and viewers, on either database.</summary>
public abstract class LocalFeedTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task CreateTicket_ReachesThisNodesListenerOnce()
    {
        using var inbox = new FeedProbe(Factory.Services.GetRequiredService<TicketFeed>());

        var ticket = await CreateTicketAsync(TicketRequest(Unique("feed"), subject: "Hindi gumagana ang app 应用无法打开"));

        var change = await inbox.WaitForAsync(ticket.Id(), c => c.Types.Contains("created"));
        Assert.Equal("Hindi gumagana ang app 应用无法打开", change.Subject);
        await Task.Delay(500);
        Assert.Single(inbox.Heard(ticket.Id()), c => c.Types.Contains("created"));
        // Only PostgreSQL deployments have other nodes to tell.
        Assert.Equal(Factory.Provider == DatabaseProvider.Postgres, Factory.Services.GetRequiredService<INodeBus>().IsShared);
    }

    [Fact]
    public async Task Presence_OnThisNode_IsSeenByOtherAgentsAtOnce()
    {
        var presence = Factory.Services.GetRequiredService<TicketPresence>();
        var ticket = await CreateTicketAsync(Unique("presence"));
        var viewer = Guid.NewGuid();
        var changed = new List<long>();
        void OnChanged(long id) => changed.Add(id);
        presence.Changed += OnChanged;
        try
        {
            presence.Set(ticket.Id(), viewer, new Presence(Factory.AdminId, SwitchboardFactory.AdminName, Replying: true));

            Assert.Equal([new Presence(Factory.AdminId, SwitchboardFactory.AdminName, true)], presence.Others(ticket.Id(), me: 0));
            Assert.Empty(presence.Others(ticket.Id(), me: Factory.AdminId));
            presence.Leave(ticket.Id(), viewer);
            Assert.Empty(presence.Others(ticket.Id(), me: 0));
            Assert.Equal([ticket.Id(), ticket.Id()], changed);
        }
        finally
        {
            presence.Changed -= OnChanged;
        }
    }
}

public sealed class LocalFeedTests_Sqlite(SqliteFactory factory) : LocalFeedTests(factory), IClassFixture<SqliteFactory>;

public sealed class LocalFeedTests_Postgres(PostgresFactory factory) : LocalFeedTests(factory), IClassFixture<PostgresFactory>;
