using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Switchboard.Core.Events;
using Switchboard.Core.Model;
using Switchboard.Core.Nodes;
using Switchboard.Host.Tests.Infrastructure;
using Switchboard.Tickets;

namespace Switchboard.Host.Tests.Nodes;

/// <summary>
/// Two app nodes on one PostgreSQL database: what an agent's browser hears through one node
/// (new tickets, changes, who else is on a ticket) includes what happened on the other.
/// </summary>
public sealed class NodeBusTests(PostgresTwoNodes nodes) : IClassFixture<PostgresTwoNodes>
{
    private static Dictionary<string, object?> Ticket(string subject) => new()
    {
        ["subject"] = subject,
        ["message"] = new { body = "Hindi ko ma-download ang resibo. 我无法下载收据。" },
        ["customer"] = new { email = $"{Guid.NewGuid():N}@example.test", name = "Maria Dela Cruz" },
    };

    [Fact]
    public async Task CreateTicket_OnNodeA_ReachesFeedListenerOnNodeB()
    {
        using var inboxOnB = new FeedProbe(nodes.B.Services.GetRequiredService<TicketFeed>());
        var subject = "退款 — Paki-refund po ang order " + Guid.NewGuid().ToString("N")[..6];

        var ticket = await nodes.A.Admin.PostAsJsonAsync("/api/v1/tickets", Ticket(subject)).ShouldBeAsync(HttpStatusCode.Created);

        var change = await inboxOnB.WaitForAsync(ticket.Id(), c => c.Types.Contains("created"));
        Assert.Equal(subject, change.Subject);
        Assert.Equal(TicketStatus.New, change.Status);
        Assert.Equal(ActorType.Agent, change.ActorType);
        Assert.Equal(SwitchboardFactory.AdminName, change.ActorName);
    }

    [Fact]
    public async Task UpdateAndNote_OnNodeB_ReachFeedListenerOnNodeA()
    {
        var ticket = await nodes.A.Admin.PostAsJsonAsync("/api/v1/tickets", Ticket("Order 1234 late")).ShouldBeAsync(HttpStatusCode.Created);
        using var inboxOnA = new FeedProbe(nodes.A.Services.GetRequiredService<TicketFeed>());

        await nodes.B.Admin.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "pending", assigneeId = nodes.B.AdminId })
            .ShouldBeAsync(HttpStatusCode.OK);
        await nodes.B.Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "@Olivia 请看一下 this one", kind = "note" })
            .ShouldBeAsync(HttpStatusCode.Created);

        var update = await inboxOnA.WaitForAsync(ticket.Id(), c => c.Types.Contains("status_changed"));
        Assert.Equal(TicketStatus.Pending, update.Status);
        Assert.Equal(nodes.B.AdminId, update.AssigneeId);
        var note = await inboxOnA.WaitForAsync(ticket.Id(), c => c.Note is not null);
        Assert.Equal("@Olivia 请看一下 this one", note.Note);
    }

    [Fact]
    public async Task BulkUpdate_OfManyTicketsOnNodeA_EveryChangeReachesNodeB()
    {
        // Long subjects in Chinese (3 bytes a character): one save's changes are more than one node message holds.
        var ids = new List<long>();
        for (var i = 0; i < 40; i++)
        {
            var subject = $"{i} " + string.Concat(Enumerable.Repeat("退款申请 Paki-refund po ", 12));
            ids.Add((await nodes.A.Admin.PostAsJsonAsync("/api/v1/tickets", Ticket(subject)).ShouldBeAsync(HttpStatusCode.Created)).Id());
        }
        using var inboxOnB = new FeedProbe(nodes.B.Services.GetRequiredService<TicketFeed>());

        await nodes.A.Admin.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids, changes = new { status = "pending" } }).ShouldBeAsync(HttpStatusCode.OK);

        foreach (var id in ids)
        {
            var change = await inboxOnB.WaitForAsync(id, c => c.Types.Contains("status_changed"));
            Assert.Equal(TicketStatus.Pending, change.Status);
            Assert.StartsWith(ids.IndexOf(id) + " 退款申请", change.Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateTicket_OnNodeA_ReachesItsOwnListenersOnce()
    {
        using var inboxOnA = new FeedProbe(nodes.A.Services.GetRequiredService<TicketFeed>());

        var ticket = await nodes.A.Admin.PostAsJsonAsync("/api/v1/tickets", Ticket("Heard once")).ShouldBeAsync(HttpStatusCode.Created);

        await inboxOnA.WaitForAsync(ticket.Id(), c => c.Types.Contains("created"));
        // Its own message comes back from the database too; the node must not hear it twice.
        await Task.Delay(1000);
        Assert.Single(inboxOnA.Heard(ticket.Id()), c => c.Types.Contains("created"));
    }

    [Fact]
    public async Task Presence_SetOnNodeA_IsSeenOnNodeBUntilTheAgentLeaves()
    {
        var onA = nodes.A.Services.GetRequiredService<TicketPresence>();
        var onB = nodes.B.Services.GetRequiredService<TicketPresence>();
        var ticketId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var viewer = Guid.NewGuid();
        const long Someone = 424242;

        onA.Set(ticketId, viewer, new Presence(7, "Ligaya Reyes", Replying: false));
        await Eventually.TrueAsync(() => onB.Others(ticketId, Someone).Count == 1, "B sees who has the ticket open on A");
        Assert.Equal(new Presence(7, "Ligaya Reyes", false), onB.Others(ticketId, Someone)[0]);

        onA.Set(ticketId, viewer, new Presence(7, "Ligaya Reyes", Replying: true));
        await Eventually.TrueAsync(() => onB.Others(ticketId, Someone) is [{ Replying: true }], "B sees that the agent on A started replying");

        onA.Leave(ticketId, viewer);
        await Eventually.TrueAsync(() => onB.Others(ticketId, Someone).Count == 0, "B forgets the viewer who left on A");
    }

    [Fact]
    public async Task Presence_OfANodeThatFallsSilent_ExpiresOnNodeB()
    {
        var onA = nodes.A.Services.GetRequiredService<TicketPresence>();
        var onB = nodes.B.Services.GetRequiredService<TicketPresence>();
        var lifetime = new NodeBusOptions().PresenceLifetime;
        var ticketId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var viewer = Guid.NewGuid();
        onA.Set(ticketId, viewer, new Presence(8, "张伟", Replying: true));
        await Eventually.TrueAsync(() => onB.Others(ticketId, 1).Count == 1, "B sees the viewer on A");

        // A's clock stands still, so A sends no heartbeat: to B it looks like a crashed node.
        nodes.B.Clock.Advance(lifetime / 2);
        await Task.Delay(300);
        Assert.Equal("张伟", Assert.Single(onB.Others(ticketId, 1)).AgentName);
        nodes.B.Clock.Advance(lifetime);

        await Eventually.TrueAsync(() => onB.Others(ticketId, 1).Count == 0, "B drops the viewer A stopped repeating");
        onA.Leave(ticketId, viewer);
    }

    [Fact]
    public async Task Presence_OfALiveNode_StaysOnNodeBThroughItsHeartbeats()
    {
        var onA = nodes.A.Services.GetRequiredService<TicketPresence>();
        var onB = nodes.B.Services.GetRequiredService<TicketPresence>();
        var options = new NodeBusOptions();
        var ticketId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var viewer = Guid.NewGuid();
        var heardOnB = 0;
        using var listening = nodes.B.Services.GetRequiredService<INodeBus>().Subscribe("presence", _ => Interlocked.Increment(ref heardOnB));
        onA.Set(ticketId, viewer, new Presence(10, "Andres Bonifacio", Replying: false));
        await Eventually.TrueAsync(() => onB.Others(ticketId, 1).Count == 1, "B sees the viewer on A");
        nodes.B.Clock.Advance(options.PresenceLifetime * 3 / 4);

        var before = Volatile.Read(ref heardOnB);
        nodes.A.Clock.Advance(options.HeartbeatInterval);
        await Eventually.TrueAsync(() => Volatile.Read(ref heardOnB) > before, "A's heartbeat reaches B");
        nodes.B.Clock.Advance(options.PresenceLifetime / 2);
        await Task.Delay(300);

        Assert.Equal("Andres Bonifacio", Assert.Single(onB.Others(ticketId, 1)).AgentName);
        onA.Leave(ticketId, viewer);
        await Eventually.TrueAsync(() => onB.Others(ticketId, 1).Count == 0, "B forgets the viewer who left on A");
    }

    [Fact]
    public async Task Presence_OfAStoppedNode_DisappearsAtOnceOnTheOthers()
    {
        var onB = nodes.B.Services.GetRequiredService<TicketPresence>();
        var ticketId = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var third = new PostgresSecondNode(nodes.A);
        await third.InitializeAsync();
        try
        {
            third.Services.GetRequiredService<TicketPresence>().Set(ticketId, Guid.NewGuid(), new Presence(9, "Jose Rizal", false));
            await Eventually.TrueAsync(() => onB.Others(ticketId, 1).Count == 1, "B sees the viewer on the third node");
        }
        finally
        {
            await third.DisposeAsync();
        }

        // No clock moves: the stopping node said goodbye.
        await Eventually.TrueAsync(() => onB.Others(ticketId, 1).Count == 0, "B drops the stopped node's viewers");
    }

    [Fact]
    public async Task Bus_AfterItsConnectionIsKilled_ListensAgainAndDelivers()
    {
        var bus = nodes.B.Services.GetRequiredService<INodeBus>();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnConnected() => connected.TrySetResult();
        bus.Connected += OnConnected;
        try
        {
            var name = "switchboard-bus-" + bus.NodeId;
            var before = await ListenerPidsAsync(name);
            Assert.Single(before);

            await using (var admin = new NpgsqlConnection(nodes.A.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ConnectionStrings:Default"]))
            {
                await admin.OpenAsync();
                await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", admin)
                {
                    Parameters = { new() { Value = name } },
                };
                Assert.Equal(1L, await kill.ExecuteScalarAsync());
            }

            await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var after = await ListenerPidsAsync(name);
            Assert.Single(after);
            Assert.NotEqual(before[0], after[0]);

            using var inboxOnB = new FeedProbe(nodes.B.Services.GetRequiredService<TicketFeed>());
            var ticket = await nodes.A.Admin.PostAsJsonAsync("/api/v1/tickets", Ticket("After the reconnect")).ShouldBeAsync(HttpStatusCode.Created);
            var change = await inboxOnB.WaitForAsync(ticket.Id(), c => c.Types.Contains("created"));
            Assert.Equal("After the reconnect", change.Subject);
        }
        finally
        {
            bus.Connected -= OnConnected;
        }
    }

    private async Task<List<int>> ListenerPidsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(nodes.A.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ConnectionStrings:Default"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid", connection)
        {
            Parameters = { new() { Value = applicationName } },
        };
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        return pids;
    }
}
