using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>What happens to a ticket over its life: history, response and resolution times, bulk changes, merge and split.</summary>
public abstract class TicketWorkflowTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task Events_NewTicket_RecordsCreationByTheAgent()
    {
        var ticket = await CreateTicketAsync(Unique("t"));

        var created = Assert.Single((await EventsAsync(ticket.Id())).Items());

        Assert.Equal("created", created.Str("type"));
        Assert.Equal("agent", created.Str("actorType"));
        Assert.Equal(Factory.AdminId, created.GetProperty("actorId").GetInt64());
        Assert.Equal(SwitchboardFactory.AdminName, created.Str("actorName"));
        Assert.Equal(Factory.Clock.GetUtcNow(), created.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Events_PatchStatusPriorityAssigneeAndTags_RecordWhoWhatAndWhen()
    {
        var agent = await CreateAgentAsync();
        var ticket = await CreateTicketAsync(TicketRequest("billing"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var when = Factory.Clock.GetUtcNow();

        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new
        {
            status = "open",
            priority = "urgent",
            assigneeId = agent.Id,
            addTags = new[] { "VIP" },
            removeTags = new[] { "billing" },
        });

        var changes = (await EventsAsync(ticket.Id())).Items().Where(e => e.Str("type") != "created").ToList();
        Assert.Equal(
            [
                ("status_changed", "status", "new", "open"),
                ("priority_changed", "priority", "normal", "urgent"),
                ("assignee_changed", "assignee", null, agent.Id.ToString(CultureInfo.InvariantCulture)),
                ("tag_added", "tags", null, "vip"),
                ("tag_removed", "tags", "billing", null),
            ],
            changes.Select(e => (e.Str("type"), e.Str("field"), e.GetProperty("oldValue").GetString(), e.GetProperty("newValue").GetString())));
        Assert.All(changes, e =>
        {
            Assert.Equal(Factory.AdminId, e.GetProperty("actorId").GetInt64());
            Assert.Equal(SwitchboardFactory.AdminName, e.Str("actorName"));
            Assert.Equal(when, e.GetProperty("createdAt").GetDateTimeOffset());
        });
    }

    [Fact]
    public async Task Events_ChangeByAnotherAgent_NamesThatAgent()
    {
        var agent = await CreateAgentAsync();
        var ticket = await CreateTicketAsync(Unique("t"));

        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "pending" }, agent.Client);

        var change = (await EventsAsync(ticket.Id())).Items().Single(e => e.Str("type") == "status_changed");
        Assert.Equal(agent.Id, change.GetProperty("actorId").GetInt64());
        Assert.Equal("Andy Agent", change.Str("actorName"));
    }

    [Fact]
    public async Task Events_PatchWithSameValues_RecordsNothing()
    {
        var ticket = await CreateTicketAsync(Unique("t"));

        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "new", priority = "normal" });

        Assert.Single((await EventsAsync(ticket.Id())).Items());
    }

    [Fact]
    public async Task Reply_First_SetsFirstResponseAndAnswered()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var replyTime = Factory.Clock.GetUtcNow();

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Thanks, we are checking.", kind = "reply" })
            .ShouldBeAsync(HttpStatusCode.Created);
        Factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "open" });
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Fixed now." })
            .ShouldBeAsync(HttpStatusCode.Created);

        var after = await GetAsync($"/api/v1/tickets/{ticket.Id()}");
        Assert.Equal("answered", after.Str("status"));
        Assert.Equal(replyTime, after.GetProperty("firstResponseAt").GetDateTimeOffset());
        Assert.Equal(600, after.GetProperty("firstResponseSeconds").GetInt64());
        Assert.Equal(Factory.Clock.GetUtcNow(), after.GetProperty("lastMessageAt").GetDateTimeOffset());
        var types = (await EventsAsync(ticket.Id())).Items().Select(e => e.Str("type")).ToList();
        Assert.Equal(["created", "status_changed", "replied", "status_changed", "status_changed", "replied"], types);
    }

    [Fact]
    public async Task Note_OnNewTicket_LeavesStatusAndFirstResponseAlone()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(10));

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Probably a duplicate.", kind = "note" })
            .ShouldBeAsync(HttpStatusCode.Created);

        var after = await GetAsync($"/api/v1/tickets/{ticket.Id()}");
        Assert.Equal("new", after.Str("status"));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("firstResponseAt").ValueKind);
        Assert.Equal(2, after.GetProperty("messageCount").GetInt32());
        Assert.Contains("note_added", (await EventsAsync(ticket.Id())).Items().Select(e => e.Str("type")));
    }

    [Fact]
    public async Task Resolve_SetsResolvedAtAndResolutionSeconds_ReopenClearsThem()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        Factory.Clock.Advance(TimeSpan.FromHours(2));

        var resolved = await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "resolved" });

        Assert.Equal("resolved", resolved.Str("status"));
        Assert.Equal(Factory.Clock.GetUtcNow(), resolved.GetProperty("resolvedAt").GetDateTimeOffset());
        Assert.Equal(7200, resolved.GetProperty("resolutionSeconds").GetInt64());

        Factory.Clock.Advance(TimeSpan.FromHours(1));
        var closed = await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "closed" });
        Assert.Equal(7200, closed.GetProperty("resolutionSeconds").GetInt64());

        var reopened = await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "open" });
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, reopened.GetProperty("resolutionSeconds").ValueKind);
    }

    [Fact]
    public async Task BulkUpdate_SeveralTickets_ChangesEachAndReportsUnknownIds()
    {
        var tag = Unique("t");
        var a = await CreateTicketAsync(tag);
        var b = await CreateTicketAsync(tag);
        var untouched = await CreateTicketAsync(tag);

        var result = await Admin.PostAsJsonAsync("/api/v1/tickets/bulk", new
        {
            ids = new[] { a.Id(), b.Id(), 987654321L },
            changes = new { status = "pending", priority = "high", addTags = new[] { "bulk" } },
        }).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(2, result.GetProperty("updated").GetInt32());
        Assert.Equal([987654321L], result.GetProperty("notFound").EnumerateArray().Select(x => x.GetInt64()));
        var pending = await ListTicketsAsync($"tag={tag}&status=pending&priority=high");
        Assert.Equal(new[] { a.Id(), b.Id() }.Order(), pending.Ids().Order());
        Assert.Equal("new", (await GetAsync($"/api/v1/tickets/{untouched.Id()}")).Str("status"));
        Assert.Contains("bulk", (await GetAsync($"/api/v1/tickets/{a.Id()}")).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("status_changed", (await EventsAsync(b.Id())).Items().Select(e => e.Str("type")));
    }

    [Fact]
    public async Task BulkUpdate_WithoutIds_Returns400()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids = Array.Empty<long>(), changes = new { status = "open" } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Give between 1 and 500 ticket ids.", problem.Detail());
    }

    [Fact]
    public async Task Merge_TwoTickets_MovesMessagesAndClosesTheSource()
    {
        var tag = Unique("t");
        var target = await CreateTicketAsync(TicketRequest(tag, body: "First message"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var source = await CreateTicketAsync(TicketRequest("merge-source", body: "Second message"));
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{source.Id()}/messages", new { body = "Reply on the duplicate" }).ShouldBeAsync(HttpStatusCode.Created);

        var merged = await Admin.PostAsJsonAsync($"/api/v1/tickets/{target.Id()}/merge", new { sourceTicketId = source.Id() })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(target.Id(), merged.Id());
        Assert.Equal(3, merged.GetProperty("messageCount").GetInt32());
        Assert.Contains("merge-source", merged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var messages = await GetAsync($"/api/v1/tickets/{target.Id()}/messages");
        Assert.Equal(["First message", "Second message", "Reply on the duplicate"], messages.Items().Select(m => m.Str("bodyText")));
        Assert.Empty((await GetAsync($"/api/v1/tickets/{source.Id()}/messages")).Items());
        var closed = await GetAsync($"/api/v1/tickets/{source.Id()}");
        Assert.Equal("closed", closed.Str("status"));
        Assert.Equal(target.Id(), closed.GetProperty("mergedIntoId").GetInt64());
        Assert.Equal(0, closed.GetProperty("messageCount").GetInt32());
        var targetEvent = (await EventsAsync(target.Id())).Items().Single(e => e.Str("type") == "merged");
        Assert.Equal(source.Id().ToString(CultureInfo.InvariantCulture), targetEvent.GetProperty("oldValue").GetString());
        Assert.Contains("merged_into", (await EventsAsync(source.Id())).Items().Select(e => e.Str("type")));
    }

    [Fact]
    public async Task Merge_SourceAlreadyMerged_Returns409()
    {
        var a = await CreateTicketAsync(Unique("t"));
        var b = await CreateTicketAsync(Unique("t"));
        var c = await CreateTicketAsync(Unique("t"));
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{a.Id()}/merge", new { sourceTicketId = b.Id() }).ShouldBeAsync(HttpStatusCode.OK);

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{c.Id()}/merge", new { sourceTicketId = b.Id() })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal($"Ticket {b.Id()} was already merged into ticket {a.Id()}.", problem.Detail());
    }

    [Fact]
    public async Task Merge_IntoItself_Returns400()
    {
        var a = await CreateTicketAsync(Unique("t"));

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{a.Id()}/merge", new { sourceTicketId = a.Id() })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("A ticket cannot be merged into itself.", problem.Detail());
    }

    [Fact]
    public async Task Reply_OnMergedTicket_Returns409PointingToTheTarget()
    {
        var a = await CreateTicketAsync(Unique("t"));
        var b = await CreateTicketAsync(Unique("t"));
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{a.Id()}/merge", new { sourceTicketId = b.Id() }).ShouldBeAsync(HttpStatusCode.OK);

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{b.Id()}/messages", new { body = "Hello?" })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains($"merged into ticket {a.Id()}", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_Message_MovesItToANewTicket()
    {
        var original = await CreateTicketAsync(TicketRequest(Unique("t"), subject: "Two problems", body: "My printer is broken."));
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Admin.PostAsJsonAsync($"/api/v1/tickets/{original.Id()}/messages", new { body = "Also, my invoice is wrong.", kind = "note" })
            .ShouldBeAsync(HttpStatusCode.Created);

        var created = await Admin.PostAsJsonAsync($"/api/v1/tickets/{original.Id()}/split", new { messageId = second.Id(), subject = "Invoice is wrong" })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.NotEqual(original.Id(), created.Id());
        Assert.Equal("Invoice is wrong", created.Str("subject"));
        Assert.Equal(original.Id(), created.GetProperty("splitFromId").GetInt64());
        Assert.Equal(original.GetProperty("customer").Id(), created.GetProperty("customer").Id());
        Assert.Equal(1, created.GetProperty("messageCount").GetInt32());
        var moved = Assert.Single((await GetAsync($"/api/v1/tickets/{created.Id()}/messages")).Items());
        Assert.Equal(second.Id(), moved.Id());
        var left = Assert.Single((await GetAsync($"/api/v1/tickets/{original.Id()}/messages")).Items());
        Assert.Equal("My printer is broken.", left.Str("bodyText"));
        Assert.Equal(1, (await GetAsync($"/api/v1/tickets/{original.Id()}")).GetProperty("messageCount").GetInt32());
        Assert.Contains("split", (await EventsAsync(original.Id())).Items().Select(e => e.Str("type")));
        Assert.Contains("split_from", (await EventsAsync(created.Id())).Items().Select(e => e.Str("type")));
    }

    [Fact]
    public async Task Split_OnlyMessage_Returns409()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        var message = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Single();

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/split", new { messageId = message.Id() })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("A ticket with a single message cannot be split.", problem.Detail());
    }

    [Fact]
    public async Task Split_MessageOfAnotherTicket_Returns400()
    {
        var a = await CreateTicketAsync(Unique("t"));
        var b = await CreateTicketAsync(Unique("t"));
        var messageOfB = (await GetAsync($"/api/v1/tickets/{b.Id()}/messages")).Items().Single();

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{a.Id()}/split", new { messageId = messageOfB.Id() })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal($"Message {messageOfB.Id()} is not on ticket {a.Id()}.", problem.Detail());
    }

    private Task<JsonElement> EventsAsync(long ticketId) => GetAsync($"/api/v1/tickets/{ticketId}/events");
}

public sealed class TicketWorkflowTests_Sqlite(SqliteFactory factory) : TicketWorkflowTests(factory), IClassFixture<SqliteFactory>;

public sealed class TicketWorkflowTests_Postgres(PostgresFactory factory) : TicketWorkflowTests(factory), IClassFixture<PostgresFactory>;
