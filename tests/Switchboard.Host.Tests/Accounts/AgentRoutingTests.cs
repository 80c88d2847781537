using System.Net;
using System.Net.Http.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Accounts;

/// <summary>Availability, capacity per channel and skills: what routing and auto-assignment read.</summary>
public abstract class AgentRoutingTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task SetAvailability_Self_IsShownOnTheAgent()
    {
        var agent = await CreateAgentAsync();
        Assert.Equal("offline", (await GetAsync($"/api/v1/agents/{agent.Id}")).Str("availability"));

        var online = await agent.Client.PutAsJsonAsync("/api/v1/agents/me/availability", new { availability = "online" })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("online", online.Str("availability"));
        Assert.Equal("online", (await GetAsync($"/api/v1/agents/{agent.Id}")).Str("availability"));
        Assert.Equal("online", (await GetAsync("/api/v1/me", agent.Client)).Str("availability"));
    }

    [Fact]
    public async Task SetAvailability_OfAnotherAgent_OnlyAdminsMay()
    {
        var first = await CreateAgentAsync();
        var second = await CreateAgentAsync();

        await second.Client.PutAsJsonAsync($"/api/v1/agents/{first.Id}/availability", new { availability = "online" })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var set = await Admin.PutAsJsonAsync($"/api/v1/agents/{first.Id}/availability", new { availability = "away" })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("away", set.Str("availability"));
    }

    [Fact]
    public async Task SetAvailability_UnknownValue_NamesTheAllowedOnes()
    {
        var agent = await CreateAgentAsync();

        var problem = await agent.Client.PutAsJsonAsync("/api/v1/agents/me/availability", new { availability = "busy" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("offline, online, away", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAgent_CapacitiesAndSkills_AreStoredAndOnlyAdminsSetThem()
    {
        var agent = await CreateAgentAsync();

        await agent.Client.PatchAsJsonAsync($"/api/v1/agents/{agent.Id}", new { capacities = new Dictionary<string, int> { ["chat"] = 9 } })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var updated = await Admin.PatchAsJsonAsync($"/api/v1/agents/{agent.Id}", new
        {
            capacities = new Dictionary<string, int> { ["chat"] = 3, ["email"] = 25 },
            skills = new[] { "Billing", "退款", "billing" },
        }).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(3, updated.GetProperty("capacities").GetProperty("chat").GetInt32());
        Assert.Equal(25, updated.GetProperty("capacities").GetProperty("email").GetInt32());
        Assert.Equal(new[] { "billing", "退款" }, updated.GetProperty("skills").EnumerateArray().Select(s => s.GetString()));
        var read = await GetAsync($"/api/v1/agents/{agent.Id}");
        Assert.Equal(2, read.GetProperty("skills").GetArrayLength());
    }

    [Fact]
    public async Task UpdateAgent_CapacityForUnknownChannel_Returns400()
    {
        var agent = await CreateAgentAsync();

        await Admin.PatchAsJsonAsync($"/api/v1/agents/{agent.Id}", new { capacities = new Dictionary<string, int> { ["pigeon"] = 1 } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UpdateDepartment_AssignmentMode_IsShown()
    {
        var created = await Admin.PostAsJsonAsync("/api/v1/departments", new { name = "Routing " + Guid.NewGuid().ToString("N")[..8] })
            .ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal("manual", created.Str("assignmentMode"));

        var updated = await Admin.PatchAsJsonAsync($"/api/v1/departments/{created.Id()}", new { assignmentMode = "roundRobin" })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("roundRobin", updated.Str("assignmentMode"));
        Assert.Equal(created.Str("name"), updated.Str("name"));
    }
}

public sealed class AgentRoutingTests_Sqlite(SqliteFactory factory) : AgentRoutingTests(factory), IClassFixture<SqliteFactory>;

public sealed class AgentRoutingTests_Postgres(PostgresFactory factory) : AgentRoutingTests(factory), IClassFixture<PostgresFactory>;
