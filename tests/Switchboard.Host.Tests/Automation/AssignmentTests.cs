using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Automation;

/// <summary>Auto-assignment per department: round-robin and least-loaded, availability, capacity, skills, overrides.</summary>
public abstract class AssignmentTests(SwitchboardFactory factory) : ApiTests(factory)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private async Task<long> DepartmentAsync(string mode)
    {
        var id = await CreateDepartmentAsync();
        await PatchAsync($"/api/v1/departments/{id}", new { assignmentMode = mode });
        return id;
    }

    private async Task<Agent> AgentAsync(long departmentId, bool online = true)
    {
        var agent = await CreateAgentAsync([departmentId]);
        if (online) await SetAvailabilityAsync(agent, "online");
        return agent;
    }

    private static Task<JsonElement> SetAvailabilityAsync(Agent agent, string availability) =>
        agent.Client.PutAsJsonAsync("/api/v1/agents/me/availability", new { availability }).ShouldBeAsync(HttpStatusCode.OK);

    private async Task<long> TicketAsync(long departmentId, string tag, string channel = "email", string[]? extraTags = null)
    {
        var request = TicketRequest(tag);
        request["departmentId"] = departmentId;
        request["channel"] = channel;
        request["tags"] = new[] { tag }.Concat(extraTags ?? []).ToArray();
        return (await CreateTicketAsync(request)).Id();
    }

    private async Task<JsonElement> WaitForAssigneeAsync(long ticketId)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var ticket = await GetAsync($"/api/v1/tickets/{ticketId}");
            if (ticket.GetProperty("assigneeId").ValueKind == JsonValueKind.Number) return ticket;
            if (DateTime.UtcNow > until) Assert.Fail($"Ticket {ticketId} was not auto-assigned within {Patience.TotalSeconds} s.");
            await Task.Delay(100);
        }
    }

    private async Task<long?> AssigneeAsync(long ticketId)
    {
        var value = (await GetAsync($"/api/v1/tickets/{ticketId}")).GetProperty("assigneeId");
        return value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
    }

    /// <summary>Lets a few assignment passes run, for asserting that something was NOT assigned.</summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1.5));

    [Fact]
    public async Task RoundRobin_TwoOnlineAgents_ShareTicketsInTurn()
    {
        var department = await DepartmentAsync("roundRobin");
        var first = await AgentAsync(department);
        var second = await AgentAsync(department);
        var tag = Unique("rr");

        var assignees = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            var ticket = await TicketAsync(department, tag);
            assignees.Add((await WaitForAssigneeAsync(ticket)).GetProperty("assigneeId").GetInt64());
        }

        Assert.Equal(2, assignees.Count(a => a == first.Id));
        Assert.Equal(2, assignees.Count(a => a == second.Id));
        Assert.NotEqual(assignees[0], assignees[1]);
        Assert.NotEqual(assignees[2], assignees[3]);
    }

    [Fact]
    public async Task AutoAssignment_IsRecordedInTheTicketsHistory()
    {
        var department = await DepartmentAsync("roundRobin");
        var agent = await AgentAsync(department);

        var ticket = await TicketAsync(department, Unique("history"));
        await WaitForAssigneeAsync(ticket);

        var events = (await GetAsync($"/api/v1/tickets/{ticket}/events")).Items().ToList();
        var assigned = events.Single(e => e.Str("type") == "assignee_changed");
        Assert.Equal("Auto-assignment", assigned.Str("actorName"));
        Assert.Equal(agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), assigned.Str("newValue"));
    }

    [Fact]
    public async Task LeastLoaded_GivesTheNextTicketToWhoeverHasFewestOpen()
    {
        var department = await DepartmentAsync("leastLoaded");
        var busy = await AgentAsync(department, online: false);
        var tag = Unique("ll");
        // Two open tickets assigned by hand before the agent comes online.
        for (var i = 0; i < 2; i++)
        {
            var ticket = await TicketAsync(department, tag);
            await PatchAsync($"/api/v1/tickets/{ticket}", new { assigneeId = busy.Id });
        }
        await SetAvailabilityAsync(busy, "online");
        var idle = await AgentAsync(department);

        var next = await TicketAsync(department, tag);
        var after = await TicketAsync(department, tag);

        Assert.Equal(idle.Id, (await WaitForAssigneeAsync(next)).GetProperty("assigneeId").GetInt64());
        Assert.Equal(idle.Id, (await WaitForAssigneeAsync(after)).GetProperty("assigneeId").GetInt64());
    }

    [Fact]
    public async Task Backlog_IsAssignedWhenAnAgentComesOnline_UpToTheirCapacity()
    {
        var department = await DepartmentAsync("leastLoaded");
        var agent = await AgentAsync(department, online: false);
        await PatchAsync($"/api/v1/agents/{agent.Id}", new { capacities = new Dictionary<string, int> { ["email"] = 2 } });
        var tag = Unique("backlog");
        var tickets = new List<long>();
        for (var i = 0; i < 3; i++) tickets.Add(await TicketAsync(department, tag));
        await SettleAsync();
        foreach (var ticket in tickets) Assert.Null(await AssigneeAsync(ticket));

        await SetAvailabilityAsync(agent, "online");

        await WaitForAssigneeAsync(tickets[0]);
        await WaitForAssigneeAsync(tickets[1]);
        await SettleAsync();
        Assert.Null(await AssigneeAsync(tickets[2]));
    }

    [Fact]
    public async Task Capacity_IsPerChannel()
    {
        var department = await DepartmentAsync("roundRobin");
        var agent = await AgentAsync(department);
        await PatchAsync($"/api/v1/agents/{agent.Id}", new { capacities = new Dictionary<string, int> { ["email"] = 0 } });
        var tag = Unique("cap");

        var email = await TicketAsync(department, tag, channel: "email");
        var phone = await TicketAsync(department, tag, channel: "phone");

        Assert.Equal(agent.Id, (await WaitForAssigneeAsync(phone)).GetProperty("assigneeId").GetInt64());
        await SettleAsync();
        Assert.Null(await AssigneeAsync(email));
    }

    [Fact]
    public async Task Skills_TicketTaggedWithASkillGoesOnlyToAgentsWhoHaveIt()
    {
        var department = await DepartmentAsync("roundRobin");
        var skill = Unique("skill-");
        var generalist = await AgentAsync(department);
        var specialist = await AgentAsync(department);
        await PatchAsync($"/api/v1/agents/{specialist.Id}", new { skills = new[] { skill } });
        var tag = Unique("sk");

        var tickets = new List<long>();
        for (var i = 0; i < 3; i++) tickets.Add(await TicketAsync(department, tag, extraTags: [skill]));

        foreach (var ticket in tickets)
        {
            Assert.Equal(specialist.Id, (await WaitForAssigneeAsync(ticket)).GetProperty("assigneeId").GetInt64());
        }
        Assert.NotEqual(generalist.Id, specialist.Id);
    }

    [Fact]
    public async Task AwayAndOfflineAgents_GetNothing_AndManualDepartmentsAreLeftAlone()
    {
        var department = await DepartmentAsync("roundRobin");
        var away = await AgentAsync(department);
        await SetAvailabilityAsync(away, "away");
        await AgentAsync(department, online: false);
        var manual = await CreateDepartmentAsync();
        await AgentAsync(manual);
        var tag = Unique("none");

        var waiting = await TicketAsync(department, tag);
        var untouched = await TicketAsync(manual, tag);

        await SettleAsync();
        Assert.Null(await AssigneeAsync(waiting));
        Assert.Null(await AssigneeAsync(untouched));
    }

    [Fact]
    public async Task Override_AgentReassignsAnAutoAssignedTicket_TheChoiceStands()
    {
        var department = await DepartmentAsync("roundRobin");
        var auto = await AgentAsync(department);
        var other = await AgentAsync(department, online: false);
        var ticket = await TicketAsync(department, Unique("ovr"));
        Assert.Equal(auto.Id, (await WaitForAssigneeAsync(ticket)).GetProperty("assigneeId").GetInt64());

        await PatchAsync($"/api/v1/tickets/{ticket}", new { assigneeId = other.Id }, auto.Client);
        await TicketAsync(department, Unique("ovr"));
        await SettleAsync();

        Assert.Equal(other.Id, await AssigneeAsync(ticket));
    }
}

public sealed class AssignmentTests_Sqlite(SqliteFactory factory) : AssignmentTests(factory), IClassFixture<SqliteFactory>;

public sealed class AssignmentTests_Postgres(PostgresFactory factory) : AssignmentTests(factory), IClassFixture<PostgresFactory>;
