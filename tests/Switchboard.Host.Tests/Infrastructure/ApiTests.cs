using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Host.Tests.Infrastructure;

/// <summary>
/// Base of every API test class. Each area has one abstract class of tests and two sealed
/// classes that run them on SQLite and on PostgreSQL. Fixtures are built through the API.
/// </summary>
public abstract class ApiTests(SwitchboardFactory factory)
{
    protected SwitchboardFactory Factory { get; } = factory;

    protected HttpClient Admin => Factory.Admin;

    /// <summary>A lower-case name no other test uses, e.g. for a tag that scopes a list to this test's tickets.</summary>
    protected static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    protected static string UniqueEmail(string prefix = "customer") => $"{Unique(prefix)}@example.test";

    /// <summary>The request body of the public contract: subject, first message, customer, optional extras.</summary>
    protected static Dictionary<string, object?> TicketRequest(
        string tag, string subject = "Printer on fire", string body = "It started smoking after the update.", string? email = null,
        string? name = null)
    {
        return new Dictionary<string, object?>
        {
            ["subject"] = subject,
            ["message"] = new { body },
            ["customer"] = new { email = email ?? UniqueEmail(), name = name ?? "Casey Customer" },
            ["tags"] = new[] { tag },
        };
    }

    protected async Task<JsonElement> CreateTicketAsync(Dictionary<string, object?> request, HttpClient? client = null) =>
        await (client ?? Admin).PostAsJsonAsync("/api/v1/tickets", request).ShouldBeAsync(HttpStatusCode.Created);

    protected Task<JsonElement> CreateTicketAsync(string tag, HttpClient? client = null) => CreateTicketAsync(TicketRequest(tag), client);

    protected async Task<JsonElement> GetAsync(string path, HttpClient? client = null) =>
        await (client ?? Admin).GetAsync(path).ShouldBeAsync(HttpStatusCode.OK);

    protected async Task<JsonElement> PatchAsync(string path, object body, HttpClient? client = null) =>
        await (client ?? Admin).PatchAsJsonAsync(path, body).ShouldBeAsync(HttpStatusCode.OK);

    /// <summary>GET /api/v1/tickets with a query string.</summary>
    protected Task<JsonElement> ListTicketsAsync(string query, HttpClient? client = null) => GetAsync("/api/v1/tickets?" + query, client);

    protected async Task<long> DepartmentIdAsync(string name)
    {
        var departments = await GetAsync("/api/v1/departments");
        return departments.Items().Single(d => d.Str("name") == name).Id();
    }

    /// <summary>A new department (admins only) with a unique name.</summary>
    protected async Task<long> CreateDepartmentAsync() =>
        (await Admin.PostAsJsonAsync("/api/v1/departments", new { name = Unique("Dept ") }).ShouldBeAsync(HttpStatusCode.Created)).Id();

    /// <summary>An agent created by the owner, signed in.</summary>
    protected async Task<Agent> CreateAgentAsync(long[]? departmentIds = null, string role = "agent")
    {
        var email = UniqueEmail("agent");
        const string password = "agent password 123";
        var created = await Admin.PostAsJsonAsync("/api/v1/agents", new { email, name = "Andy Agent", password, role, departmentIds = departmentIds ?? [] })
            .ShouldBeAsync(HttpStatusCode.Created);
        var (client, _) = await Factory.SignInAsync(email, password);
        return new Agent(created.Id(), email, password, client);
    }

    protected sealed record Agent(long Id, string Email, string Password, HttpClient Client);
}
