using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>Contacts and their identities, companies and tags.</summary>
public abstract class ContactsApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task FindOrCreate_SameEmailTwice_ReturnsTheSameContact()
    {
        var email = UniqueEmail();

        var first = await FindOrCreateAsync("email", email, "Liza Soberano");
        var second = await FindOrCreateAsync("email", "  " + email.ToUpperInvariant() + " ", "Someone Else");

        Assert.Equal(first.Id(), second.Id());
        Assert.Equal("Liza Soberano", second.Str("name"));
        var identity = Assert.Single(second.GetProperty("identities").EnumerateArray());
        Assert.Equal(email, identity.Str("value"));
    }

    [Fact]
    public async Task FindOrCreate_SamePhoneWrittenDifferently_ReturnsTheSameContact()
    {
        var digits = Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);

        var first = await FindOrCreateAsync("phone", $"+63 {digits[..3]} {digits[3..6]} {digits[6..]}", null);
        var second = await FindOrCreateAsync("phone", $"63-{digits}", null);

        Assert.Equal(first.Id(), second.Id());
        Assert.Equal("+63" + digits, first.GetProperty("identities")[0].Str("value"));
        Assert.Equal("+63" + digits, first.Str("name"));
    }

    [Fact]
    public async Task FindOrCreate_InvalidEmail_Returns400()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/contacts/find-or-create", new { type = "email", value = "not an address" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("'not an address' is not a valid email address.", problem.Detail());
    }

    [Fact]
    public async Task CreateTicket_KnownCustomerEmail_ReusesTheContact()
    {
        var email = UniqueEmail();
        var contact = await FindOrCreateAsync("email", email, "Known Person");

        var ticket = await CreateTicketAsync(TicketRequest(Unique("t"), email: email.ToUpperInvariant(), name: "Other Name"));

        Assert.Equal(contact.Id(), ticket.GetProperty("customer").Id());
        Assert.Equal("Known Person", ticket.GetProperty("customer").Str("name"));
    }

    [Fact]
    public async Task CreateTicket_CustomerByPhone_CreatesAPhoneContact()
    {
        var request = TicketRequest(Unique("t"));
        request["customer"] = new { phone = "+1 (555) 010-" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture), name = "Caller" };

        var ticket = await CreateTicketAsync(request);

        var contact = await GetAsync($"/api/v1/contacts/{ticket.GetProperty("customer").Id()}");
        Assert.Equal("phone", contact.GetProperty("identities")[0].Str("type"));
        Assert.Equal(JsonValueKind.Null, ticket.GetProperty("customer").GetProperty("email").ValueKind);
    }

    [Fact]
    public async Task AddIdentity_NewEmail_IsAddedAndFindsTheContact()
    {
        var contact = await FindOrCreateAsync("email", UniqueEmail(), "Two Addresses");
        var work = UniqueEmail("work");

        var updated = await Admin.PostAsJsonAsync($"/api/v1/contacts/{contact.Id()}/identities", new { type = "email", value = work })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal(2, updated.GetProperty("identities").GetArrayLength());
        Assert.Equal(contact.Id(), (await FindOrCreateAsync("email", work, null)).Id());
    }

    [Fact]
    public async Task AddIdentity_BelongingToAnotherContact_Returns409()
    {
        var email = UniqueEmail();
        var owner = await FindOrCreateAsync("email", email, "Owner");
        var other = await FindOrCreateAsync("email", UniqueEmail(), "Other");

        var problem = await Admin.PostAsJsonAsync($"/api/v1/contacts/{other.Id()}/identities", new { type = "email", value = email })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal($"{email} already belongs to contact {owner.Id()}; merge the two contacts instead.", problem.Detail());
    }

    [Fact]
    public async Task Merge_TwoContacts_MovesTicketsAndIdentitiesToTheTarget()
    {
        var tag = Unique("t");
        var targetEmail = UniqueEmail();
        var sourceEmail = UniqueEmail();
        var targetTicket = await CreateTicketAsync(TicketRequest(tag, email: targetEmail, name: "Juan dela Cruz"));
        var sourceTicket = await CreateTicketAsync(TicketRequest(tag, email: sourceEmail, name: "J. dela Cruz"));
        var target = targetTicket.GetProperty("customer").Id();
        var source = sourceTicket.GetProperty("customer").Id();

        var merged = await Admin.PostAsJsonAsync($"/api/v1/contacts/{target}/merge", new { sourceContactId = source })
            .ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(
            new[] { sourceEmail, targetEmail }.Order(StringComparer.Ordinal),
            merged.GetProperty("identities").EnumerateArray().Select(i => i.Str("value")).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { targetTicket.Id(), sourceTicket.Id() }.Order(), (await ListTicketsAsync($"tag={tag}&customerId={target}")).Ids().Order());
        Assert.Empty((await ListTicketsAsync($"tag={tag}&customerId={source}")).Ids());
        Assert.Equal(target, (await GetAsync($"/api/v1/contacts/{source}")).GetProperty("mergedIntoId").GetInt64());
        Assert.Equal(target, (await FindOrCreateAsync("email", sourceEmail, null)).Id());
        var events = await GetAsync($"/api/v1/tickets/{sourceTicket.Id()}/events");
        Assert.Contains(events.Items(), e => e.Str("type") == "customer_changed");
        var messages = await GetAsync($"/api/v1/tickets/{sourceTicket.Id()}/messages");
        Assert.Equal(target, messages.Items().Single().GetProperty("authorContactId").GetInt64());
    }

    [Fact]
    public async Task Merge_SourceAlreadyMerged_Returns404()
    {
        var a = await FindOrCreateAsync("email", UniqueEmail(), "A");
        var b = await FindOrCreateAsync("email", UniqueEmail(), "B");
        var c = await FindOrCreateAsync("email", UniqueEmail(), "C");
        await Admin.PostAsJsonAsync($"/api/v1/contacts/{a.Id()}/merge", new { sourceContactId = b.Id() }).ShouldBeAsync(HttpStatusCode.OK);

        await Admin.PostAsJsonAsync($"/api/v1/contacts/{c.Id()}/merge", new { sourceContactId = b.Id() }).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListContacts_ByName_FindsTheContact()
    {
        var surname = Unique("Bautista");
        var contact = await FindOrCreateAsync("email", UniqueEmail(), $"Andrea {surname}");

        var byName = await GetAsync($"/api/v1/contacts?q={surname}");
        var byBoth = await GetAsync($"/api/v1/contacts?q=andrea%20{surname.ToUpperInvariant()}");

        Assert.Equal([contact.Id()], byName.Ids());
        Assert.Equal([contact.Id()], byBoth.Ids());
        Assert.Empty((await GetAsync($"/api/v1/contacts?q={Unique("nobody")}")).Ids());
    }

    [Fact]
    public async Task ListContacts_AfterRename_FindsTheNewNameOnly()
    {
        var oldName = Unique("Old");
        var newName = Unique("New");
        var contact = await FindOrCreateAsync("email", UniqueEmail(), oldName);

        await PatchAsync($"/api/v1/contacts/{contact.Id()}", new { name = newName });

        Assert.Equal([contact.Id()], (await GetAsync($"/api/v1/contacts?q={newName}")).Ids());
        Assert.Empty((await GetAsync($"/api/v1/contacts?q={oldName}")).Ids());
    }

    [Fact]
    public async Task GetContact_Unknown_Returns404()
    {
        var problem = await Admin.GetAsync("/api/v1/contacts/987654321").ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("Contact 987654321 does not exist or you do not have access to it.", problem.Detail());
    }

    [Fact]
    public async Task Companies_CreateListUpdateDelete_Work()
    {
        var name = Unique("Acme ");

        var created = await Admin.PostAsJsonAsync("/api/v1/companies", new { name, domain = "ACME.example", notes = "Key account" })
            .ShouldBeAsync(HttpStatusCode.Created);
        Assert.Equal("acme.example", created.Str("domain"));

        var listed = await GetAsync("/api/v1/companies?q=" + Uri.EscapeDataString(name));
        Assert.Equal([created.Id()], listed.Ids());

        var renamed = await PatchAsync($"/api/v1/companies/{created.Id()}", new { name = name + " Inc" });
        Assert.Equal(name + " Inc", renamed.Str("name"));
        Assert.Equal("Key account", renamed.Str("notes"));

        var contact = await FindOrCreateAsync("email", UniqueEmail(), "Employee");
        var employed = await PatchAsync($"/api/v1/contacts/{contact.Id()}", new { companyId = created.Id() });
        Assert.Equal(name + " Inc", employed.Str("companyName"));

        await Admin.DeleteAsync($"/api/v1/companies/{created.Id()}").ShouldBeAsync(HttpStatusCode.NoContent);
        await Admin.GetAsync($"/api/v1/companies/{created.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(JsonValueKind.Null, (await GetAsync($"/api/v1/contacts/{contact.Id()}")).GetProperty("companyId").ValueKind);
    }

    [Fact]
    public async Task Companies_DuplicateName_Returns409()
    {
        var name = Unique("Globex ");
        await Admin.PostAsJsonAsync("/api/v1/companies", new { name }).ShouldBeAsync(HttpStatusCode.Created);

        var problem = await Admin.PostAsJsonAsync("/api/v1/companies", new { name }).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal($"A company named '{name}' already exists.", problem.Detail());
    }

    [Fact]
    public async Task Companies_DeleteByPlainAgent_Returns403()
    {
        var agent = await CreateAgentAsync();
        var company = await Admin.PostAsJsonAsync("/api/v1/companies", new { name = Unique("Initech ") }).ShouldBeAsync(HttpStatusCode.Created);

        await agent.Client.DeleteAsync($"/api/v1/companies/{company.Id()}").ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        await GetAsync($"/api/v1/companies/{company.Id()}");
    }

    [Fact]
    public async Task Tags_CreateTwice_ReturnsTheSameTag()
    {
        var name = Unique("Refund");

        var created = await Admin.PostAsJsonAsync("/api/v1/tags", new { name }).ShouldBeAsync(HttpStatusCode.Created);
        var again = await Admin.PostAsJsonAsync("/api/v1/tags", new { name = name.ToUpperInvariant() }).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal(name.ToLowerInvariant(), created.Str("name"));
        Assert.Equal(created.Id(), again.Id());
    }

    [Fact]
    public async Task Tags_List_CountsTicketsAndFiltersByPrefix()
    {
        var tag = Unique("prefix");
        await CreateTicketAsync(tag);
        await CreateTicketAsync(tag);

        var listed = await GetAsync($"/api/v1/tags?q={tag[..10]}");

        var entry = Assert.Single(listed.Items());
        Assert.Equal(tag, entry.Str("name"));
        Assert.Equal(2, entry.GetProperty("ticketCount").GetInt32());
    }

    [Fact]
    public async Task Tags_Delete_RemovesItFromTickets()
    {
        var tag = Unique("gone");
        var ticket = await CreateTicketAsync(tag);
        var id = (await GetAsync($"/api/v1/tags?q={tag}")).Items().Single().Id();

        await Admin.DeleteAsync($"/api/v1/tags/{id}").ShouldBeAsync(HttpStatusCode.NoContent);

        Assert.Empty((await GetAsync($"/api/v1/tickets/{ticket.Id()}")).GetProperty("tags").EnumerateArray());
        Assert.Empty((await GetAsync($"/api/v1/tags?q={tag}")).Items());
        await Admin.DeleteAsync($"/api/v1/tags/{id}").ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tags_Empty_Returns400()
    {
        var problem = await Admin.PostAsJsonAsync("/api/v1/tags", new { name = "  " }).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The tag must not be empty.", problem.Detail());
    }

    private async Task<JsonElement> FindOrCreateAsync(string type, string value, string? name) =>
        await Admin.PostAsJsonAsync("/api/v1/contacts/find-or-create", new { type, value, name }).ShouldBeAsync(HttpStatusCode.OK);
}

public sealed class ContactsApiTests_Sqlite(SqliteFactory factory) : ContactsApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class ContactsApiTests_Postgres(PostgresFactory factory) : ContactsApiTests(factory), IClassFixture<PostgresFactory>;
