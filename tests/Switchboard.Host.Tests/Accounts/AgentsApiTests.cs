using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Accounts;

/// <summary>Agents, departments, roles, and which tickets an agent can see.</summary>
public abstract class AgentsApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task CreateAgent_AsAdmin_ReturnsAgentWithDepartments()
    {
        var sales = await DepartmentIdAsync("Sales support");
        var technical = await DepartmentIdAsync("Technical support");
        var email = UniqueEmail("agent");

        var created = await Admin.PostAsJsonAsync("/api/v1/agents", new
        {
            email = email.ToUpperInvariant(),
            name = "Bea Alonzo",
            password = "a long enough password",
            departmentIds = new[] { technical, sales },
            timeZone = "Asia/Manila",
        }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal(email, created.Str("email"));
        Assert.Equal("agent", created.Str("role"));
        Assert.Equal(new[] { sales, technical }.Order(), created.GetProperty("departmentIds").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("Asia/Manila", created.Str("timeZone"));
        Assert.Equal(email, (await GetAsync($"/api/v1/agents/{created.Id()}")).Str("email"));
        var (client, id) = await Factory.SignInAsync(email, "a long enough password");
        Assert.Equal(created.Id(), id);
        Assert.Equal("Bea Alonzo", (await GetAsync("/api/v1/me", client)).Str("name"));
    }

    [Fact]
    public async Task CreateAgent_AsPlainAgent_Returns403()
    {
        var agent = await CreateAgentAsync();

        await agent.Client.PostAsJsonAsync("/api/v1/agents", new { email = UniqueEmail(), name = "Sneaky", password = "a long enough password" })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateAgent_AsAdminNotOwner_CannotCreateAnOwner()
    {
        var admin = await CreateAgentAsync(role: "admin");

        var problem = await admin.Client.PostAsJsonAsync("/api/v1/agents", new { email = UniqueEmail(), name = "Boss", password = "a long enough password", role = "owner" })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("Only an owner can make someone an owner.", problem.Detail());
    }

    [Fact]
    public async Task CreateAgent_DuplicateEmail_Returns409()
    {
        var agent = await CreateAgentAsync();

        var problem = await Admin.PostAsJsonAsync("/api/v1/agents", new { email = agent.Email, name = "Twin", password = "a long enough password" })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal($"An agent with the email address {agent.Email} already exists.", problem.Detail());
    }

    [Theory]
    [InlineData("short", "password", "The password must have at least 10 characters.")]
    [InlineData("a long enough password", "role", "'boss' is not a role; use owner, admin or agent.")]
    public async Task CreateAgent_InvalidInput_Returns400WithMessage(string password, string field, string message)
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/agents", new { email = UniqueEmail(), name = "New", password, role = field == "role" ? "boss" : null })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(message, problem.Detail());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task CreateAgent_UnknownDepartment_Returns400()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/agents", new { email = UniqueEmail(), name = "New", password = "a long enough password", departmentIds = new[] { 987654L } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Department 987654 does not exist.", problem.Detail());
    }

    [Fact]
    public async Task UpdateAgent_PlainAgentChangingOwnRole_Returns403()
    {
        var agent = await CreateAgentAsync();

        await agent.Client.PatchAsJsonAsync($"/api/v1/agents/{agent.Id}", new { role = "admin" }).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("agent", (await GetAsync($"/api/v1/agents/{agent.Id}")).Str("role"));
    }

    [Fact]
    public async Task UpdateAgent_Deactivated_TokenStopsWorking()
    {
        var agent = await CreateAgentAsync();
        await GetAsync("/api/v1/me", agent.Client);

        await PatchAsync($"/api/v1/agents/{agent.Id}", new { isActive = false });

        await agent.Client.GetAsync("/api/v1/me").ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await Factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = agent.Email, password = agent.Password })
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UpdateAgent_LastOwnerDemoted_Returns409()
    {
        var problem = await Admin.PatchAsJsonAsync($"/api/v1/agents/{Factory.AdminId}", new { role = "admin" })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("at least one active owner", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Departments_CreateRenameDelete_Work()
    {
        var name = Unique("Billing ");

        var created = await Admin.PostAsJsonAsync("/api/v1/departments", new { name }).ShouldBeAsync(HttpStatusCode.Created);
        var renamed = await PatchAsync($"/api/v1/departments/{created.Id()}", new { name = name + " EU" });

        Assert.Equal(name + " EU", renamed.Str("name"));
        Assert.Equal(name + " EU", (await GetAsync($"/api/v1/departments/{created.Id()}")).Str("name"));
        Assert.Contains(name + " EU", (await GetAsync("/api/v1/departments")).Items().Select(d => d.Str("name")));
        await Admin.DeleteAsync($"/api/v1/departments/{created.Id()}").ShouldBeAsync(HttpStatusCode.NoContent);
        await Admin.GetAsync($"/api/v1/departments/{created.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Departments_List_CountsAgents()
    {
        var department = await CreateDepartmentAsync();
        await CreateAgentAsync([department]);
        await CreateAgentAsync([department]);

        var listed = (await GetAsync("/api/v1/departments")).Items().Single(d => d.Id() == department);

        Assert.Equal(2, listed.GetProperty("agentCount").GetInt32());
    }

    [Fact]
    public async Task Departments_DeleteWithTickets_Returns409()
    {
        var department = await CreateDepartmentAsync();
        var request = TicketRequest(Unique("t"));
        request["departmentId"] = department;
        await CreateTicketAsync(request);

        var problem = await Admin.DeleteAsync($"/api/v1/departments/{department}").ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("still has tickets", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Departments_CreateByPlainAgent_Returns403()
    {
        var agent = await CreateAgentAsync();

        await agent.Client.PostAsJsonAsync("/api/v1/departments", new { name = Unique("Mine ") }).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Agent_TicketOfOtherDepartment_IsNotFoundAndNotListed()
    {
        var tag = Unique("t");
        var mine = await CreateDepartmentAsync();
        var other = await CreateDepartmentAsync();
        var agent = await CreateAgentAsync([mine]);
        var hidden = await CreateTicketAsync(InDepartment(tag, other));
        var visible = await CreateTicketAsync(InDepartment(tag, mine));

        var problem = await agent.Client.GetAsync($"/api/v1/tickets/{hidden.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal($"Ticket {hidden.Id()} does not exist or you do not have access to it.", problem.Detail());
        Assert.Equal([visible.Id()], (await ListTicketsAsync($"tag={tag}", agent.Client)).Ids());
        Assert.Empty((await ListTicketsAsync($"tag={tag}&departmentId={other}", agent.Client)).Ids());
        await agent.Client.GetAsync($"/api/v1/tickets/{hidden.Id()}/messages").ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await agent.Client.GetAsync($"/api/v1/tickets/{hidden.Id()}/events").ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await agent.Client.PatchAsJsonAsync($"/api/v1/tickets/{hidden.Id()}", new { status = "spam" }).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await agent.Client.PostAsJsonAsync($"/api/v1/tickets/{hidden.Id()}/messages", new { body = "Hi" }).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("new", (await GetAsync($"/api/v1/tickets/{hidden.Id()}")).Str("status"));
    }

    [Fact]
    public async Task Agent_TicketWithoutDepartment_IsVisible()
    {
        var tag = Unique("t");
        var agent = await CreateAgentAsync([await CreateDepartmentAsync()]);
        var unassigned = await CreateTicketAsync(tag);

        await GetAsync($"/api/v1/tickets/{unassigned.Id()}", agent.Client);
        Assert.Equal([unassigned.Id()], (await ListTicketsAsync($"tag={tag}", agent.Client)).Ids());
    }

    [Fact]
    public async Task Agent_TicketAssignedToThemInOtherDepartment_IsVisible()
    {
        var tag = Unique("t");
        var agent = await CreateAgentAsync([await CreateDepartmentAsync()]);
        var request = InDepartment(tag, await CreateDepartmentAsync());
        request["assigneeId"] = agent.Id;
        var assigned = await CreateTicketAsync(request);

        await GetAsync($"/api/v1/tickets/{assigned.Id()}", agent.Client);
        Assert.Equal([assigned.Id()], (await ListTicketsAsync($"tag={tag}", agent.Client)).Ids());
    }

    [Fact]
    public async Task Agent_AddedToDepartment_SeesItsTicketsAtOnce()
    {
        var tag = Unique("t");
        var department = await CreateDepartmentAsync();
        var agent = await CreateAgentAsync();
        var ticket = await CreateTicketAsync(InDepartment(tag, department));
        await agent.Client.GetAsync($"/api/v1/tickets/{ticket.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);

        await PatchAsync($"/api/v1/agents/{agent.Id}", new { departmentIds = new[] { department } });

        await GetAsync($"/api/v1/tickets/{ticket.Id()}", agent.Client);
    }

    [Fact]
    public async Task Agent_CreatingTicketInOtherDepartment_Returns403()
    {
        var agent = await CreateAgentAsync([await CreateDepartmentAsync()]);

        var problem = await agent.Client.PostAsJsonAsync("/api/v1/tickets", InDepartment(Unique("t"), await CreateDepartmentAsync()))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("You can create tickets only in your own departments.", problem.Detail());
    }

    [Fact]
    public async Task Agent_MergingInvisibleTicket_Returns404()
    {
        var mine = await CreateDepartmentAsync();
        var agent = await CreateAgentAsync([mine]);
        var target = await CreateTicketAsync(InDepartment(Unique("t"), mine));
        var hidden = await CreateTicketAsync(InDepartment(Unique("t"), await CreateDepartmentAsync()));

        await agent.Client.PostAsJsonAsync($"/api/v1/tickets/{target.Id()}/merge", new { sourceTicketId = hidden.Id() })
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(JsonValueKind.Null, (await GetAsync($"/api/v1/tickets/{hidden.Id()}")).GetProperty("mergedIntoId").ValueKind);
    }

    [Fact]
    public async Task Agent_BulkUpdateIncludingInvisibleTicket_ChangesOnlyVisibleOnes()
    {
        var mine = await CreateDepartmentAsync();
        var agent = await CreateAgentAsync([mine]);
        var visible = await CreateTicketAsync(InDepartment(Unique("t"), mine));
        var hidden = await CreateTicketAsync(InDepartment(Unique("t"), await CreateDepartmentAsync()));

        var result = await agent.Client.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids = new[] { visible.Id(), hidden.Id() }, changes = new { status = "spam" } })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("updated").GetInt32());
        Assert.Equal([hidden.Id()], result.GetProperty("notFound").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal("new", (await GetAsync($"/api/v1/tickets/{hidden.Id()}")).Str("status"));
    }

    private static Dictionary<string, object?> InDepartment(string tag, long departmentId)
    {
        var request = TicketRequest(tag);
        request["departmentId"] = departmentId;
        return request;
    }
}

public sealed class AgentsApiTests_Sqlite(SqliteFactory factory) : AgentsApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class AgentsApiTests_Postgres(PostgresFactory factory) : AgentsApiTests(factory), IClassFixture<PostgresFactory>;
