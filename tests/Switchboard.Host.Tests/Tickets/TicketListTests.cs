using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>GET /api/v1/tickets: filters, sort orders and cursor pagination. Every query is scoped to a tag only its test uses.</summary>
public abstract class TicketListTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task ListTickets_ByTag_ReturnsOnlyTaggedTicketsInAPage()
    {
        var tag = Unique("t");
        var a = await CreateTicketAsync(tag);
        var b = await CreateTicketAsync(tag);
        await CreateTicketAsync(Unique("other"));

        var page = await ListTicketsAsync($"tag={tag.ToUpperInvariant()}");

        Assert.Equal(new[] { a.Id(), b.Id() }.Order(), page.Ids().Order());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        Assert.All(page.Items(), t => Assert.Contains(tag, t.GetProperty("tags").EnumerateArray().Select(x => x.GetString())));
    }

    [Fact]
    public async Task ListTickets_PageOfTaggedTickets_EachShowsItsOwnTagsSortedAndItsCustomer()
    {
        var tag = Unique("t");
        var email = UniqueEmail();
        var plain = await CreateTicketAsync(TicketRequest(tag, email: email, name: "Juan dela Cruz"));
        var request = TicketRequest(tag, name: "王小明");
        request["tags"] = new[] { tag, "退款", "billing", "agarang-tugon" };
        var tagged = await CreateTicketAsync(request);

        var items = (await ListTicketsAsync($"tag={tag}")).Items().ToDictionary(t => t.Id());

        Assert.Equal([tag], TagsOf(items[plain.Id()]));
        Assert.Equal(new[] { tag, "退款", "billing", "agarang-tugon" }.Order(StringComparer.Ordinal), TagsOf(items[tagged.Id()]));
        Assert.Equal("Juan dela Cruz", items[plain.Id()].GetProperty("customer").Str("name"));
        Assert.Equal(email, items[plain.Id()].GetProperty("customer").Str("email"));
        Assert.Equal("王小明", items[tagged.Id()].GetProperty("customer").Str("name"));
    }

    private static List<string?> TagsOf(JsonElement ticket) => ticket.GetProperty("tags").EnumerateArray().Select(x => x.GetString()).ToList();

    [Fact]
    public async Task ListTickets_ByStatusAndPriority_ReturnsOnlyMatching()
    {
        var tag = Unique("t");
        var fresh = await CreateTicketAsync(tag);
        var pending = await CreateTicketAsync(tag);
        var open = await CreateTicketAsync(tag);
        await PatchAsync($"/api/v1/tickets/{pending.Id()}", new { status = "pending", priority = "high" });
        await PatchAsync($"/api/v1/tickets/{open.Id()}", new { status = "open", priority = "low" });

        Assert.Equal([pending.Id()], (await ListTicketsAsync($"tag={tag}&status=pending")).Ids());
        Assert.Equal(new[] { fresh.Id(), open.Id() }.Order(), (await ListTicketsAsync($"tag={tag}&status=new,open")).Ids().Order());
        Assert.Equal(new[] { pending.Id(), open.Id() }.Order(), (await ListTicketsAsync($"tag={tag}&priority=high,low")).Ids().Order());
        Assert.Equal([open.Id()], (await ListTicketsAsync($"tag={tag}&status=open&priority=low")).Ids());
        Assert.Empty((await ListTicketsAsync($"tag={tag}&status=open&priority=high")).Ids());
    }

    [Fact]
    public async Task ListTickets_ByDepartment_ReturnsOnlyThatDepartment()
    {
        var tag = Unique("t");
        var sales = await DepartmentIdAsync("Sales support");
        var technical = await DepartmentIdAsync("Technical support");
        var inSales = await CreateTicketAsync(WithValue(TicketRequest(tag), "departmentId", sales));
        var inTechnical = await CreateTicketAsync(WithValue(TicketRequest(tag), "departmentId", technical));
        await CreateTicketAsync(tag);

        Assert.Equal([inSales.Id()], (await ListTicketsAsync($"tag={tag}&departmentId={sales}")).Ids());
        Assert.Equal([inTechnical.Id()], (await ListTicketsAsync($"tag={tag}&departmentId={technical}")).Ids());
    }

    [Fact]
    public async Task ListTickets_ByAssignee_SupportsIdMeAndNone()
    {
        var tag = Unique("t");
        var agent = await CreateAgentAsync();
        var mine = await CreateTicketAsync(WithValue(TicketRequest(tag), "assigneeId", Factory.AdminId));
        var theirs = await CreateTicketAsync(tag);
        await PatchAsync($"/api/v1/tickets/{theirs.Id()}", new { assigneeId = agent.Id });
        var nobodys = await CreateTicketAsync(tag);

        Assert.Equal([mine.Id()], (await ListTicketsAsync($"tag={tag}&assigneeId=me")).Ids());
        Assert.Equal([theirs.Id()], (await ListTicketsAsync($"tag={tag}&assigneeId=me", agent.Client)).Ids());
        Assert.Equal([theirs.Id()], (await ListTicketsAsync($"tag={tag}&assigneeId={agent.Id}")).Ids());
        Assert.Equal([nobodys.Id()], (await ListTicketsAsync($"tag={tag}&assigneeId=none")).Ids());
    }

    [Fact]
    public async Task ListTickets_ByUnknownAssigneeWord_Returns400()
    {
        var problem = await Admin.GetAsync("/api/v1/tickets?assigneeId=someone").ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("'someone' is not an agent id; use a number, 'me' or 'none'.", problem.Detail());
    }

    [Fact]
    public async Task ListTickets_ByChannel_ReturnsOnlyThatChannel()
    {
        var tag = Unique("t");
        var email = await CreateTicketAsync(WithValue(TicketRequest(tag), "channel", "email"));
        var phone = await CreateTicketAsync(WithValue(TicketRequest(tag), "channel", "phone"));
        await CreateTicketAsync(tag);

        Assert.Equal("email", email.Str("channel"));
        Assert.Equal([email.Id()], (await ListTicketsAsync($"tag={tag}&channel=email")).Ids());
        Assert.Equal(new[] { email.Id(), phone.Id() }.Order(), (await ListTicketsAsync($"tag={tag}&channel=email,phone")).Ids().Order());
    }

    [Fact]
    public async Task ListTickets_ByCustomer_ReturnsThatCustomersTickets()
    {
        var tag = Unique("t");
        var address = UniqueEmail();
        var first = await CreateTicketAsync(TicketRequest(tag, email: address));
        var second = await CreateTicketAsync(TicketRequest(tag, email: address.ToUpperInvariant()));
        await CreateTicketAsync(tag);
        var customer = first.GetProperty("customer").Id();

        Assert.Equal(customer, second.GetProperty("customer").Id());
        Assert.Equal(new[] { first.Id(), second.Id() }.Order(), (await ListTicketsAsync($"tag={tag}&customerId={customer}")).Ids().Order());
    }

    [Fact]
    public async Task ListTickets_ByCreatedAndUpdatedRanges_ReturnsTicketsInside()
    {
        var tag = Unique("t");
        var t0 = Factory.Clock.GetUtcNow();
        var early = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        var late = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        await PatchAsync($"/api/v1/tickets/{early.Id()}", new { priority = "high" });

        Assert.Equal([late.Id()], (await ListTicketsAsync($"tag={tag}&createdFrom={Time(t0.AddMinutes(30))}")).Ids());
        Assert.Equal([early.Id()], (await ListTicketsAsync($"tag={tag}&createdTo={Time(t0.AddMinutes(30))}")).Ids());
        Assert.Equal([early.Id()], (await ListTicketsAsync($"tag={tag}&updatedFrom={Time(t0.AddMinutes(90))}")).Ids());
        Assert.Equal([late.Id()], (await ListTicketsAsync($"tag={tag}&updatedTo={Time(t0.AddMinutes(90))}")).Ids());
        Assert.Equal([late.Id()], (await ListTicketsAsync($"tag={tag}&createdFrom={Time(t0.AddMinutes(30))}&createdTo={Time(t0.AddMinutes(90))}")).Ids());
        // The range includes its start and excludes its end.
        Assert.Equal([late.Id()], (await ListTicketsAsync($"tag={tag}&createdFrom={Time(t0.AddHours(1))}")).Ids());
        Assert.Equal([early.Id()], (await ListTicketsAsync($"tag={tag}&createdTo={Time(t0.AddHours(1))}")).Ids());
    }

    [Fact]
    public async Task ListTickets_RangeWithTimeZoneOffset_ComparesTheSameInstant()
    {
        var tag = Unique("t");
        var t0 = Factory.Clock.GetUtcNow();
        await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromHours(1));
        var late = await CreateTicketAsync(tag);
        var manila = t0.AddMinutes(30).ToOffset(TimeSpan.FromHours(8));

        Assert.Equal([late.Id()], (await ListTicketsAsync($"tag={tag}&createdFrom={Time(manila)}")).Ids());
    }

    [Fact]
    public async Task ListTickets_DefaultSort_IsMostRecentlyUpdatedFirst()
    {
        var tag = Unique("t");
        var a = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var b = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var c = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{a.Id()}/messages", new { body = "Looking into it." }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal([a.Id(), c.Id(), b.Id()], (await ListTicketsAsync($"tag={tag}")).Ids());
        Assert.Equal([a.Id(), c.Id(), b.Id()], (await ListTicketsAsync($"tag={tag}&sort=-updatedAt")).Ids());
        Assert.Equal([b.Id(), c.Id(), a.Id()], (await ListTicketsAsync($"tag={tag}&sort=updatedAt")).Ids());
    }

    [Fact]
    public async Task ListTickets_SortByCreatedAtAndNumber_OrdersBoth()
    {
        var tag = Unique("t");
        var a = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var b = await CreateTicketAsync(tag);
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await PatchAsync($"/api/v1/tickets/{a.Id()}", new { status = "open" });

        Assert.Equal([a.Id(), b.Id()], (await ListTicketsAsync($"tag={tag}&sort=createdAt")).Ids());
        Assert.Equal([b.Id(), a.Id()], (await ListTicketsAsync($"tag={tag}&sort=-createdAt")).Ids());
        Assert.Equal([a.Id(), b.Id()], (await ListTicketsAsync($"tag={tag}&sort=number")).Ids());
        Assert.Equal([b.Id(), a.Id()], (await ListTicketsAsync($"tag={tag}&sort=-number")).Ids());
    }

    [Fact]
    public async Task ListTickets_UnknownSort_Returns400NamingTheOrders()
    {
        var problem = await Admin.GetAsync("/api/v1/tickets?sort=priority").ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("use updatedAt, createdAt, number or due", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-updatedAt")]
    [InlineData("updatedAt")]
    [InlineData("createdAt")]
    [InlineData("-createdAt")]
    [InlineData("number")]
    [InlineData("-number")]
    public async Task ListTickets_WalkingEveryPage_SeesEachTicketOnceInOrder(string sort)
    {
        var tag = Unique("t");
        var created = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            created.Add((await CreateTicketAsync(tag)).Id());
            // Runs of tickets share a timestamp, so pages must break ties by id.
            if (i % 4 == 3) Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<JsonElement>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var query = $"tag={tag}&limit=7&sort={sort}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await ListTicketsAsync(query);
            seen.AddRange(page.Items());
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
            Assert.True(pages <= 5, "More pages than 30 tickets in pages of 7 need.");
        }
        while (cursor is not null);

        var ids = seen.Select(t => t.Id()).ToList();
        Assert.Equal(5, pages);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(created.Order(), ids.Order());
        Assert.Equal(ExpectedOrder(seen, sort), ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData("due")]
    [InlineData("-createdAt")]
    public async Task ListTickets_SeveralStatusesWalkingEveryPage_MergesThemInOrder(string sort)
    {
        var tag = Unique("t");
        var created = new List<long>();
        for (var i = 0; i < 24; i++)
        {
            var id = (await CreateTicketAsync(tag)).Id();
            if (i % 3 == 1) await PatchAsync($"/api/v1/tickets/{id}", new { status = "open", priority = i % 2 == 0 ? "urgent" : "low" });
            if (i % 3 == 2) await PatchAsync($"/api/v1/tickets/{id}", new { status = "pending" });
            if (i % 6 != 5) created.Add(id);
            else await PatchAsync($"/api/v1/tickets/{id}", new { status = "resolved" });
            if (i % 4 == 3) Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var query = $"tag={tag}&status=new,open,pending&limit=5&sort={sort}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await ListTicketsAsync(query);
            seen.AddRange(page.Items());
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.True(seen.Count <= created.Count, "The pages repeat tickets.");
        }
        while (cursor is not null);

        var ids = seen.Select(t => t.Id()).ToList();
        Assert.Equal(created.Order(), ids.Order());
        Assert.Equal(ExpectedOrder(seen, sort), ids);
    }

    [Fact]
    public async Task ListTickets_PageThenNewTicket_NextPageHasNoDuplicates()
    {
        var tag = Unique("t");
        for (var i = 0; i < 4; i++)
        {
            await CreateTicketAsync(tag);
            Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var first = await ListTicketsAsync($"tag={tag}&limit=2");

        await CreateTicketAsync(tag);
        var second = await ListTicketsAsync($"tag={tag}&limit=2&cursor={first.Str("nextCursor")}");

        Assert.Empty(first.Ids().Intersect(second.Ids()));
        Assert.Equal(2, second.Ids().Count);
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("bnVtYmVyfGR8MHwx")] // a cursor of sort=-number used with the default sort
    [InlineData("dXBkYXRlZEF0fGR8eHx5")] // right sort, but the key and id are not numbers
    [InlineData("dXBkYXRlZEF0fGR8OTk5OTk5OTk5OTk5OTk5OTk5OTl8MQ")] // a key too large for a number
    public async Task ListTickets_InvalidCursor_Returns400(string cursor)
    {
        var problem = await Admin.GetAsync($"/api/v1/tickets?cursor={cursor}").ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The cursor is not valid for this sort order; start again from the first page.", problem.Detail());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task ListTickets_LimitOutOfRange_Returns400(int limit)
    {
        var problem = await Admin.GetAsync($"/api/v1/tickets?limit={limit}").ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("limit must be between 1 and 100.", problem.Detail());
    }

    private static Dictionary<string, object?> WithValue(Dictionary<string, object?> request, string key, object value)
    {
        request[key] = value;
        return request;
    }

    private static string Time(DateTimeOffset value) => Uri.EscapeDataString(value.ToString("O", CultureInfo.InvariantCulture));

    private static List<long> ExpectedOrder(List<JsonElement> tickets, string sort)
    {
        var descending = sort.Length == 0 || sort.StartsWith('-');
        var field = sort.Length == 0 ? "updatedAt" : sort.TrimStart('-');
        Func<JsonElement, DateTimeOffset> key = field switch
        {
            "number" => _ => default,
            // Tickets with nothing due come last.
            "due" => t => t.GetProperty("slaDueAt") is { ValueKind: JsonValueKind.String } due ? due.GetDateTimeOffset() : DateTimeOffset.MaxValue,
            _ => t => t.GetProperty(field).GetDateTimeOffset(),
        };
        var ordered = descending
            ? tickets.OrderByDescending(key).ThenByDescending(t => t.Id())
            : tickets.OrderBy(key).ThenBy(t => t.Id());
        return ordered.Select(t => t.Id()).ToList();
    }
}

public sealed class TicketListTests_Sqlite(SqliteFactory factory) : TicketListTests(factory), IClassFixture<SqliteFactory>;

public sealed class TicketListTests_Postgres(PostgresFactory factory) : TicketListTests(factory), IClassFixture<PostgresFactory>;
