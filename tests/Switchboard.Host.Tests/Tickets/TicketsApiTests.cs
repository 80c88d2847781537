using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>The public contract of tickets, messages, contacts and departments, and how errors look.</summary>
public abstract class TicketsApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task CreateTicket_PublicContract_Returns201WithIdNumberStatusPriorityAndCreatedAt()
    {
        var email = UniqueEmail();
        using var response = await Admin.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Cannot log in",
            message = new { body = "The login page says my password expired." },
            customer = new { email, name = "Maria Santos" },
        });
        var location = response.Headers.Location;

        var ticket = await response.ShouldBeAsync(HttpStatusCode.Created);

        Assert.True(ticket.Id() > 0);
        Assert.Equal(ticket.Id(), ticket.GetProperty("number").GetInt64());
        Assert.Equal("new", ticket.Str("status"));
        Assert.Equal("normal", ticket.Str("priority"));
        Assert.Equal("api", ticket.Str("channel"));
        Assert.Equal("Cannot log in", ticket.Str("subject"));
        Assert.Equal(Factory.Clock.GetUtcNow(), ticket.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal("Maria Santos", ticket.GetProperty("customer").Str("name"));
        Assert.Equal(email, ticket.GetProperty("customer").Str("email"));
        Assert.Equal(1, ticket.GetProperty("messageCount").GetInt32());
        Assert.Equal($"/api/v1/tickets/{ticket.Id()}", location?.OriginalString);
    }

    [Fact]
    public async Task CreateTicket_WithPriorityDepartmentAndTags_KeepsThem()
    {
        var technical = await DepartmentIdAsync("Technical support");

        var ticket = await Admin.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "Server down",
            message = new { body = "Nothing loads." },
            customer = new { email = UniqueEmail(), name = "Jun" },
            priority = "High",
            departmentId = technical,
            tags = new[] { "Outage", " vip ", "outage" },
        }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("high", ticket.Str("priority"));
        Assert.Equal(technical, ticket.GetProperty("departmentId").GetInt64());
        Assert.Equal(["outage", "vip"], ticket.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task CreateTicket_NumbersIncrease()
    {
        var first = await CreateTicketAsync(Unique("t"));
        var second = await CreateTicketAsync(Unique("t"));

        Assert.True(second.GetProperty("number").GetInt64() > first.GetProperty("number").GetInt64());
    }

    [Fact]
    public async Task ListTickets_EmptyTextFilters_AreIgnored()
    {
        var tag = Unique("t");
        var ticket = await CreateTicketAsync(tag);

        var page = await ListTicketsAsync($"status=&priority=&q=&cursor=&sort=&tag={tag}");

        Assert.Equal([ticket.Id()], page.Ids());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ListTickets_DepartmentIdNotANumber_Returns400ProblemDetails()
    {
        var problem = await Admin.GetAsync("/api/v1/tickets?departmentId=sales").ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("DepartmentId", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTicket_AfterCreate_ReturnsTheTicket()
    {
        var created = await CreateTicketAsync(TicketRequest(Unique("t"), subject: "Where is my order?"));

        var ticket = await GetAsync($"/api/v1/tickets/{created.Id()}");

        Assert.Equal(created.GetRawText(), ticket.GetRawText());
    }

    [Fact]
    public async Task PatchTicket_Priority_ChangesItAndKeepsTheRest()
    {
        var created = await CreateTicketAsync(Unique("t"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(3));

        var patched = await PatchAsync($"/api/v1/tickets/{created.Id()}", new { priority = "urgent" });

        Assert.Equal("urgent", patched.Str("priority"));
        Assert.Equal("new", patched.Str("status"));
        Assert.Equal(created.Str("subject"), patched.Str("subject"));
        Assert.Equal(Factory.Clock.GetUtcNow(), patched.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal("urgent", (await GetAsync($"/api/v1/tickets/{created.Id()}")).Str("priority"));
    }

    [Fact]
    public async Task PatchTicket_NothingChanges_KeepsUpdatedAt()
    {
        var created = await CreateTicketAsync(Unique("t"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(3));

        var patched = await PatchAsync($"/api/v1/tickets/{created.Id()}", new { priority = "normal" });

        Assert.Equal(created.GetProperty("updatedAt").GetDateTimeOffset(), patched.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Messages_OfNewTicket_ListTheCustomersFirstMessage()
    {
        var created = await CreateTicketAsync(TicketRequest(Unique("t"), body: "My invoice is wrong."));

        var messages = await GetAsync($"/api/v1/tickets/{created.Id()}/messages");

        var first = Assert.Single(messages.Items());
        Assert.Equal("My invoice is wrong.", first.Str("bodyText"));
        Assert.Equal("reply", first.Str("kind"));
        Assert.Equal("inbound", first.Str("direction"));
        Assert.Equal("contact", first.Str("authorType"));
        Assert.Equal(created.GetProperty("customer").Id(), first.GetProperty("authorContactId").GetInt64());
    }

    [Fact]
    public async Task PostMessage_ReplyAndNote_AreListedInOrder()
    {
        var created = await CreateTicketAsync(Unique("t"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var reply = await Admin.PostAsJsonAsync($"/api/v1/tickets/{created.Id()}/messages", new { body = "We are on it.", kind = "reply" })
            .ShouldBeAsync(HttpStatusCode.Created);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var note = await Admin.PostAsJsonAsync($"/api/v1/tickets/{created.Id()}/messages", new { body = "Customer is on the old plan.", kind = "note" })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("outbound", reply.Str("direction"));
        Assert.Equal(Factory.AdminId, reply.GetProperty("authorAgentId").GetInt64());
        Assert.Equal("internal", note.Str("direction"));
        var messages = await GetAsync($"/api/v1/tickets/{created.Id()}/messages");
        Assert.Equal(
            ["reply", "reply", "note"],
            messages.Items().Select(m => m.Str("kind")));
        Assert.Equal([reply.Id(), note.Id()], messages.Items().Skip(1).Select(m => m.Id()));
        Assert.Equal(3, (await GetAsync($"/api/v1/tickets/{created.Id()}")).GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task PostMessage_InvalidKind_Returns400NamingAllowedValues()
    {
        var created = await CreateTicketAsync(Unique("t"));

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{created.Id()}/messages", new { body = "Hi", kind = "shout" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("'shout' is not a valid kind; use one of: reply, note.", problem.Detail());
    }

    [Fact]
    public async Task PostMessage_EmptyBody_Returns400()
    {
        var created = await CreateTicketAsync(Unique("t"));

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{created.Id()}/messages", new { body = "   " })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The message must not be empty.", problem.Detail());
    }

    [Fact]
    public async Task Departments_FirstRun_HasTheThreeDefaults()
    {
        var departments = await GetAsync("/api/v1/departments");

        var names = departments.Items().Select(d => d.Str("name")).ToList();
        Assert.Contains("Sales support", names);
        Assert.Contains("Technical support", names);
        Assert.Contains("Enterprise support", names);
    }

    [Fact]
    public async Task Contacts_CustomerOfNewTicket_CanBeFoundAndRead()
    {
        var email = UniqueEmail();
        var ticket = await CreateTicketAsync(TicketRequest(Unique("t"), email: email, name: "Rosa Dela Cruz"));
        var contactId = ticket.GetProperty("customer").Id();

        var page = await GetAsync("/api/v1/contacts?q=" + Uri.EscapeDataString(email));
        var contact = await GetAsync($"/api/v1/contacts/{contactId}");

        Assert.Equal([contactId], page.Ids());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        Assert.Equal("Rosa Dela Cruz", contact.Str("name"));
        var identity = Assert.Single(contact.GetProperty("identities").EnumerateArray());
        Assert.Equal("email", identity.Str("type"));
        Assert.Equal(email, identity.Str("value"));
    }

    [Fact]
    public async Task CreateTicket_InvalidPriority_Returns400NamingAllowedValues()
    {
        var request = TicketRequest(Unique("t"));
        request["priority"] = "sky-high";

        var problem = await Admin.PostAsJsonAsync("/api/v1/tickets", request).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("'sky-high' is not a valid priority; use one of: low, normal, high, urgent.", problem.Detail());
        Assert.True(problem.GetProperty("errors").TryGetProperty("priority", out _));
    }

    [Fact]
    public async Task ListTickets_InvalidStatus_Returns400NamingAllowedValues()
    {
        var problem = await Admin.GetAsync("/api/v1/tickets?status=open,waiting").ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("'waiting' is not a valid status; use one of: new, open, pending, answered, resolved, closed, spam.", problem.Detail());
    }

    [Fact]
    public async Task PatchTicket_NumericStatus_Returns400()
    {
        var created = await CreateTicketAsync(Unique("t"));

        var problem = await Admin.PatchAsJsonAsync($"/api/v1/tickets/{created.Id()}", new { status = "4" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("use one of", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTicket_WithoutCustomer_Returns400SayingWhatIsMissing()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/tickets", new { subject = "Hello", message = new { body = "Hi" } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("customer.email", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTicket_UnknownDepartment_Returns400()
    {
        var request = TicketRequest(Unique("t"));
        request["departmentId"] = 987654;

        var problem = await Admin.PostAsJsonAsync("/api/v1/tickets", request).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Department 987654 does not exist.", problem.Detail());
    }

    [Fact]
    public async Task GetTicket_Unknown_Returns404ProblemDetails()
    {
        var problem = await Admin.GetAsync("/api/v1/tickets/987654321").ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("Ticket 987654321 does not exist or you do not have access to it.", problem.Detail());
    }

    [Fact]
    public async Task PatchTicket_Unknown_Returns404ProblemDetails()
    {
        await Admin.PatchAsJsonAsync("/api/v1/tickets/987654321", new { priority = "low" }).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateTicket_MalformedJson_Returns400ProblemDetails()
    {
        using var content = new StringContent("{\"subject\": \"Broken\", \"message\": ", Encoding.UTF8, "application/json");

        var problem = await Admin.PostAsync("/api/v1/tickets", content).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("not valid JSON", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTicket_WrongFieldType_Returns400NamingTheField()
    {
        using var content = new StringContent("{\"subject\": [1, 2], \"message\": {\"body\": \"x\"}}", Encoding.UTF8, "application/json");

        var problem = await Admin.PostAsync("/api/v1/tickets", content).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("'subject'", problem.Detail(), StringComparison.Ordinal);
    }
}

public sealed class TicketsApiTests_Sqlite(SqliteFactory factory) : TicketsApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class TicketsApiTests_Postgres(PostgresFactory factory) : TicketsApiTests(factory), IClassFixture<PostgresFactory>;
