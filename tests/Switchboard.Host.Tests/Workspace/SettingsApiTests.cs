using System.Net;
using System.Net.Http.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Workspace;

/// <summary>The API behind the settings screens' edits: department members and mailbox changes.</summary>
public abstract class SettingsApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task PatchDepartment_AgentIds_MembersSeeItsTicketsAtOnceAndLeaversDoNot()
    {
        var department = await CreateDepartmentAsync();
        var stays = await CreateAgentAsync([department]);
        var joins = await CreateAgentAsync();
        var request = TicketRequest(Unique("t"));
        request["departmentId"] = department;
        var ticket = await CreateTicketAsync(request);
        await joins.Client.GetAsync($"/api/v1/tickets/{ticket.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var updated = await PatchAsync($"/api/v1/departments/{department}", new { agentIds = new[] { joins.Id } });

        Assert.Equal(1, updated.GetProperty("agentCount").GetInt32());
        await joins.Client.GetAsync($"/api/v1/tickets/{ticket.Id()}").ShouldBeAsync(HttpStatusCode.OK);
        await stays.Client.GetAsync($"/api/v1/tickets/{ticket.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PatchDepartment_UnknownAgentOrNotAdmin_IsRefusedAndChangesNothing()
    {
        var department = await CreateDepartmentAsync();
        var agent = await CreateAgentAsync([department]);

        var problem = await Admin.PatchAsJsonAsync($"/api/v1/departments/{department}", new { agentIds = new[] { 987654321L } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await agent.Client.PatchAsJsonAsync($"/api/v1/departments/{department}", new { agentIds = Array.Empty<long>() })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Agent 987654321 does not exist.", problem.Detail());
        Assert.Equal(1, (await GetAsync($"/api/v1/departments/{department}")).GetProperty("agentCount").GetInt32());
    }

    [Fact]
    public async Task PatchMailbox_WithoutPasswords_KeepsThemAndCanLeaveTheDepartment()
    {
        var department = await CreateDepartmentAsync();
        var created = await Admin.PostAsJsonAsync("/api/v1/mailboxes", new
        {
            address = $"{Unique("box")}@desk.test",
            departmentId = department,
            inbound = new { type = "pop3", host = "pop.desk.test", username = "desk", password = "pop secret" },
        }).ShouldBeAsync(HttpStatusCode.Created);

        var updated = await PatchAsync($"/api/v1/mailboxes/{created.Id()}", new
        {
            name = "Tulong 帮助",
            clearDepartment = true,
            inbound = new { type = "pop3", host = "pop2.desk.test", username = "desk" },
        });

        Assert.Equal("Tulong 帮助", updated.Str("name"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, updated.GetProperty("departmentId").ValueKind);
        Assert.Equal("pop2.desk.test", updated.GetProperty("inbound").Str("host"));
        Assert.True(updated.GetProperty("inbound").GetProperty("hasPassword").GetBoolean());
    }
}

public sealed class SettingsApiTests_Sqlite(SqliteFactory factory) : SettingsApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class SettingsApiTests_Postgres(PostgresFactory factory) : SettingsApiTests(factory), IClassFixture<PostgresFactory>;
