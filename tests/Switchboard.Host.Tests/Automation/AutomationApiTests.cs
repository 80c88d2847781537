using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Automation;

/// <summary>Rules made through the API, fired by the real worker on ticket events, SLA breaches and the passing of time.</summary>
public abstract class AutomationApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    protected async Task<JsonElement> CreateRuleAsync(object rule) =>
        await Admin.PostAsJsonAsync("/api/v1/automation/rules", rule).ShouldBeAsync(HttpStatusCode.Created);

    /// <summary>Scopes a rule to one test's tickets, since the tests of a class share the host.</summary>
    protected static object TaggedWith(string tag) => new { field = "ticket.tags", op = "equals", value = tag };

    protected async Task<List<JsonElement>> EventsAsync(long ticketId) => (await GetAsync($"/api/v1/tickets/{ticketId}/events")).Items().ToList();

    /// <summary>Rules run in the background; wait (briefly, in real time) for the event a rule records.</summary>
    protected async Task<JsonElement> WaitForEventAsync(long ticketId, Func<JsonElement, bool> match, string what)
    {
        for (var i = 0; i < 150; i++)
        {
            var found = (await EventsAsync(ticketId)).FirstOrDefault(match);
            if (found.ValueKind != JsonValueKind.Undefined) return found;
            await Task.Delay(100);
        }
        Assert.Fail($"No event on ticket {ticketId}: {what}. Events: {string.Join("; ", (await EventsAsync(ticketId)).Select(e => e.GetRawText()))}");
        return default;
    }

    protected Task<JsonElement> WaitForRuleAsync(long ticketId, string sentence) =>
        WaitForEventAsync(ticketId, e => e.Str("type") == "automation" && e.GetProperty("newValue").GetString() == sentence, sentence);

    [Fact]
    public async Task TicketCreated_VipFirst_SetsPriorityAndSaysSo()
    {
        var tag = Unique("vip");
        var name = Unique("VIP first ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "ticket_created",
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new[] { new { type = "set_priority", value = "urgent" } },
        });

        var ticket = await CreateTicketAsync(tag);

        var fired = await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" set priority to urgent");
        Assert.Equal("system", fired.Str("actorType"));
        Assert.Equal("urgent", (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).Str("priority"));
        var change = (await EventsAsync(ticket.Id())).Single(e => e.Str("type") == "priority_changed");
        Assert.Equal($"Rule \"{name}\"", change.Str("actorName"));
    }

    [Fact]
    public async Task StatusChanged_AnyOfTwoStatuses_AddsTemplatedNote()
    {
        var tag = Unique("wait");
        var name = Unique("Waiting note ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "status_changed",
            conditions = new
            {
                all = new object[]
                {
                    TaggedWith(tag),
                    new { any = new[] { new { field = "ticket.status", op = "equals", value = "pending" }, new { field = "ticket.status", op = "equals", value = "resolved" } } },
                },
            },
            actions = new[] { new { type = "add_note", body = "Waiting on {{customer.name}} for #{{ticket.number}}." } },
        });
        var ticket = await CreateTicketAsync(TicketRequest(tag, name: "Juan dela Cruz"));

        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "open" });
        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "pending" });

        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" added a note");
        var messages = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().ToList();
        var note = Assert.Single(messages, m => m.Str("kind") == "note");
        Assert.Equal($"Waiting on Juan dela Cruz for #{ticket.Id()}.", note.Str("bodyText"));
        Assert.Equal("system", note.Str("authorType"));
        Assert.Single(await EventsAsync(ticket.Id()), e => e.Str("type") == "automation");
    }

    [Fact]
    public async Task AgentReplied_BodyContainsChinese_TagsTheTicket()
    {
        var tag = Unique("reply");
        var name = Unique("Refund reply ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "agent_replied",
            conditions = new { all = new object[] { TaggedWith(tag), new { field = "message.body", op = "contains", value = "退款" } } },
            actions = new[] { new { type = "add_tags", value = new[] { "refund" } } },
        });
        var ticket = await CreateTicketAsync(tag);

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "您的退款已处理。", kind = "reply" }).ShouldBeAsync(HttpStatusCode.Created);

        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" added tag refund");
        var tags = (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("refund", tags);
    }

    [Fact]
    public async Task SlaBreached_EnterpriseUrgent_AssignsTheTicket()
    {
        var tag = Unique("breach");
        var name = Unique("Escalate breach ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "sla_breached",
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new object[] { new { type = "set_assignee", value = Factory.AdminId } },
        });
        var request = TicketRequest(tag);
        request["departmentId"] = await DepartmentIdAsync("Enterprise support");
        request["priority"] = "urgent";
        var ticket = await CreateTicketAsync(request);

        Factory.Clock.Advance(TimeSpan.FromMinutes(16));

        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" assigned the ticket to {SwitchboardFactory.AdminName}");
        Assert.Equal(Factory.AdminId, (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).GetProperty("assigneeId").GetInt64());
    }

    [Fact]
    public async Task TimeRule_PendingThreeDays_ResolvesOnceWithANote()
    {
        var tag = Unique("idle");
        var name = Unique("Close idle ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "time",
            timeCondition = new { status = "pending", hours = 72 },
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new object[]
            {
                new { type = "set_status", value = "resolved" },
                new { type = "add_note", body = "Closed after three days without an answer." },
            },
        });
        var ticket = await CreateTicketAsync(tag);
        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "pending" });

        Factory.Clock.Advance(TimeSpan.FromHours(71));
        await Task.Delay(300);
        Assert.Equal("pending", (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).Str("status"));

        Factory.Clock.Advance(TimeSpan.FromHours(2));
        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" set status to resolved");
        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" added a note");
        Assert.Equal("resolved", (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).Str("status"));
    }

    [Fact]
    public async Task NoteAdded_RuleAddsANote_FiresOnlyOnce()
    {
        var tag = Unique("echo");
        var name = Unique("Echo ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "note_added",
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new object[] { new { type = "add_note", body = "Seen." }, new { type = "set_status", value = "open" } },
        });
        var ticket = await CreateTicketAsync(tag);

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Internal remark", kind = "note" }).ShouldBeAsync(HttpStatusCode.Created);

        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" added a note");
        await Task.Delay(1500);
        var firings = (await EventsAsync(ticket.Id())).Count(e => e.Str("type") == "automation" && e.GetProperty("newValue").GetString()!.EndsWith("added a note", StringComparison.Ordinal));
        Assert.Equal(1, firings);
        Assert.Equal(2, (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Count(m => m.Str("kind") == "note"));
    }

    [Fact]
    public async Task StopAction_LaterRulesDoNotRun()
    {
        var tag = Unique("stop");
        var first = Unique("First ");
        var second = Unique("Second ");
        await CreateRuleAsync(new
        {
            name = first,
            trigger = "ticket_created",
            position = 1,
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new object[] { new { type = "set_priority", value = "high" }, new { type = "stop" } },
        });
        await CreateRuleAsync(new
        {
            name = second,
            trigger = "ticket_created",
            position = 2,
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new object[] { new { type = "set_priority", value = "low" } },
        });

        var ticket = await CreateTicketAsync(tag);

        await WaitForRuleAsync(ticket.Id(), $"Rule \"{first}\" stopped further rules");
        Assert.Equal("high", (await GetAsync($"/api/v1/tickets/{ticket.Id()}")).Str("priority"));
        Assert.DoesNotContain(await EventsAsync(ticket.Id()), e => e.GetProperty("actorName").GetString() == $"Rule \"{second}\"");
    }

    [Fact]
    public async Task Webhook_ToLoopback_IsRefusedAndRecorded()
    {
        var tag = Unique("hook");
        var name = Unique("Hook ");
        await CreateRuleAsync(new
        {
            name,
            trigger = "ticket_created",
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new[] { new { type = "call_webhook", url = "http://127.0.0.1:9/hook" } },
            webhookSecret = "a secret of sixteen characters",
        });

        var ticket = await CreateTicketAsync(tag);

        var outcome = await WaitForEventAsync(ticket.Id(), e => e.Str("type") == "webhook", "webhook outcome");
        Assert.Contains("refused", outcome.Str("newValue"), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", outcome.Str("newValue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRule_UnknownOperator_400NamesTheField()
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name = Unique("Broken "),
            trigger = "ticket_created",
            conditions = new { all = new object[] { new { field = "ticket.status", op = "equals", value = "new" }, new { field = "ticket.priority", op = "bigger", value = "high" } } },
            actions = new[] { new { type = "set_priority", value = "urgent" } },
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("conditions.all[1].op: 'bigger' is not an operator; use one of equals", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"x","trigger":"ticket_exploded","actions":[{"type":"stop"}]}""", "trigger: 'ticket_exploded' is not a trigger")]
    [InlineData("""{"name":"x","trigger":"time","actions":[{"type":"stop"}]}""", "timeCondition: a time rule needs")]
    [InlineData("""{"name":"x","trigger":"ticket_created","actions":[{"type":"call_webhook","url":"https://example.com/h"}]}""", "webhookSecret: a rule that calls a webhook needs a secret")]
    [InlineData("""{"name":"x","trigger":"ticket_created","actions":[{"type":"set_department","value":999999}]}""", "actions[0].value: department 999999 does not exist")]
    public async Task CreateRule_Invalid_400Explains(string json, string start)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var problem = await Admin.PostAsync("/api/v1/automation/rules", content).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.StartsWith(start, problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_AgentMayReadNotWrite_SecretNeverShown()
    {
        var agent = await CreateAgentAsync();
        var created = await CreateRuleAsync(new
        {
            name = Unique("Visible "),
            trigger = "ticket_created",
            conditions = new { all = new[] { TaggedWith(Unique("none")) } },
            actions = new[] { new { type = "call_webhook", url = "https://example.com/hook" } },
            webhookSecret = "a secret of sixteen characters",
        });

        var list = await GetAsync("/api/v1/automation/rules", agent.Client);
        await agent.Client.PostAsJsonAsync("/api/v1/automation/rules", new { name = "Nope", trigger = "ticket_created", actions = new[] { new { type = "stop" } } })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var rule = list.Items().Single(r => r.Id() == created.Id());
        Assert.True(rule.GetProperty("hasWebhookSecret").GetBoolean());
        Assert.DoesNotContain("sixteen", list.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeWhatRuns()
    {
        var tag = Unique("upd");
        var name = Unique("Changing ");
        var rule = await CreateRuleAsync(new
        {
            name,
            trigger = "ticket_created",
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new[] { new { type = "set_priority", value = "low" } },
        });
        await Admin.PutAsJsonAsync($"/api/v1/automation/rules/{rule.Id()}", new
        {
            name,
            trigger = "ticket_created",
            conditions = new { all = new[] { TaggedWith(tag) } },
            actions = new[] { new { type = "set_priority", value = "high" } },
        }).ShouldBeAsync(HttpStatusCode.OK);

        var ticket = await CreateTicketAsync(tag);
        await WaitForRuleAsync(ticket.Id(), $"Rule \"{name}\" set priority to high");

        await Admin.DeleteAsync($"/api/v1/automation/rules/{rule.Id()}").ShouldBeAsync(HttpStatusCode.NoContent);
        await Admin.GetAsync($"/api/v1/automation/rules/{rule.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TestEndpoint_SaysWhetherItMatchesAndWhatItWouldDo()
    {
        var tag = Unique("dry");
        var rule = await CreateRuleAsync(new
        {
            name = Unique("Dry run "),
            trigger = "customer_replied",
            conditions = new { all = new object[] { TaggedWith(tag), new { field = "ticket.subject", op = "contains", value = "printer" } } },
            actions = new object[] { new { type = "set_priority", value = "high" }, new { type = "add_tags", value = new[] { "hardware" } } },
        });
        var matching = await CreateTicketAsync(tag);
        var other = await CreateTicketAsync(Unique("other"));

        var yes = await Admin.PostAsJsonAsync($"/api/v1/automation/rules/{rule.Id()}/test", new { ticketId = matching.Id() }).ShouldBeAsync(HttpStatusCode.OK);
        var no = await Admin.PostAsJsonAsync($"/api/v1/automation/rules/{rule.Id()}/test", new { ticketId = other.Id() }).ShouldBeAsync(HttpStatusCode.OK);

        Assert.True(yes.GetProperty("matches").GetBoolean());
        Assert.Equal(["set priority to high", "add tags hardware"], yes.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.False(no.GetProperty("matches").GetBoolean());
        Assert.Equal("normal", (await GetAsync($"/api/v1/tickets/{matching.Id()}")).Str("priority"));
    }
}

public sealed class AutomationApiTests_Sqlite(SqliteFactory factory) : AutomationApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class AutomationApiTests_Postgres(PostgresFactory factory) : AutomationApiTests(factory), IClassFixture<PostgresFactory>;
