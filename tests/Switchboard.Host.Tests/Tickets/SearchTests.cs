using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>Full-text search through GET /api/v1/tickets?q= in English, Filipino and Chinese.</summary>
public abstract class SearchTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task Search_ChineseWord_FindsTicketWithChineseMessage()
    {
        var tag = Unique("t");
        var refund = await CreateTicketAsync(TicketRequest(tag, subject: "订单问题", body: "我想申请退款"));
        await CreateTicketAsync(TicketRequest(tag, subject: "发票", body: "请给我发票"));

        Assert.Equal([refund.Id()], await SearchAsync(tag, "退款"));
        Assert.Equal([refund.Id()], await SearchAsync(tag, "申请退款"));
        Assert.Equal([refund.Id()], await SearchAsync(tag, "我想申请退款"));
    }

    [Fact]
    public async Task Search_SingleChineseCharacter_FindsWordsContainingIt()
    {
        var tag = Unique("t");
        var refund = await CreateTicketAsync(TicketRequest(tag, subject: "Order", body: "我想申请退款"));
        var invoice = await CreateTicketAsync(TicketRequest(tag, subject: "Invoice", body: "请给我发票"));

        Assert.Equal([refund.Id()], await SearchAsync(tag, "退"));
        Assert.Equal([refund.Id()], await SearchAsync(tag, "款"));
        Assert.Equal(new[] { refund.Id(), invoice.Id() }.Order(), (await SearchAsync(tag, "我")).Order());
    }

    [Fact]
    public async Task Search_ChineseWordNotInText_FindsNothing()
    {
        var tag = Unique("t");
        await CreateTicketAsync(TicketRequest(tag, subject: "订单", body: "我想申请退款"));

        Assert.Empty(await SearchAsync(tag, "款退"));
        Assert.Empty(await SearchAsync(tag, "发票"));
    }

    [Fact]
    public async Task Search_FilipinoWord_FindsTicket()
    {
        var tag = Unique("t");
        var thanks = await CreateTicketAsync(TicketRequest(tag, subject: "Bayad", body: "Maraming salamat po sa tulong ninyo!"));
        await CreateTicketAsync(TicketRequest(tag, subject: "Tanong", body: "Paano mag-order?"));

        Assert.Equal([thanks.Id()], await SearchAsync(tag, "salamat"));
        Assert.Equal([thanks.Id()], await SearchAsync(tag, "SALAMAT"));
        Assert.Equal([thanks.Id()], await SearchAsync(tag, "salamat tulong"));
    }

    [Fact]
    public async Task Search_WithOrWithoutDiacritics_MatchesBoth()
    {
        var tag = Unique("t");
        var accented = await CreateTicketAsync(TicketRequest(tag, subject: "Kumustá po kayo", body: "Magandáng umaga"));
        var plain = await CreateTicketAsync(TicketRequest(tag, subject: "Kumusta", body: "Magandang gabi"));

        Assert.Equal(new[] { accented.Id(), plain.Id() }.Order(), (await SearchAsync(tag, "kumusta")).Order());
        Assert.Equal(new[] { accented.Id(), plain.Id() }.Order(), (await SearchAsync(tag, "kumustá")).Order());
        Assert.Equal([accented.Id()], await SearchAsync(tag, "umaga"));
    }

    [Fact]
    public async Task Search_EnglishWordInSubject_FindsTicket()
    {
        var tag = Unique("t");
        var invoice = await CreateTicketAsync(TicketRequest(tag, subject: "Invoice #4411 is missing", body: "Please resend."));
        await CreateTicketAsync(TicketRequest(tag, subject: "Password reset", body: "Please help."));

        Assert.Equal([invoice.Id()], await SearchAsync(tag, "invoice"));
        Assert.Equal([invoice.Id()], await SearchAsync(tag, "INVOICE 4411"));
        Assert.Equal([invoice.Id()], await SearchAsync(tag, "invo*"));
        Assert.Equal(2, (await SearchAsync(tag, "please")).Count);
    }

    [Fact]
    public async Task Search_EveryWord_IsRequired()
    {
        var tag = Unique("t");
        await CreateTicketAsync(TicketRequest(tag, subject: "Shipping delay", body: "Where is my parcel?"));

        Assert.Empty(await SearchAsync(tag, "shipping refund"));
    }

    [Fact]
    public async Task Search_WordInReplyOrNote_FindsTicket()
    {
        var tag = Unique("t");
        var ticket = await CreateTicketAsync(TicketRequest(tag));
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Escalated to the warehouse team.", kind = "note" })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal([ticket.Id()], await SearchAsync(tag, "warehouse"));
    }

    [Fact]
    public async Task Search_ContactName_FindsTheirTickets()
    {
        var tag = Unique("t");
        var surname = Unique("Macaraeg");
        var theirs = await CreateTicketAsync(TicketRequest(tag, name: $"Ligaya {surname}"));
        await CreateTicketAsync(TicketRequest(tag, name: "Somebody Else"));

        Assert.Equal([theirs.Id()], await SearchAsync(tag, surname));
    }

    [Fact]
    public async Task Search_ChineseContactName_FindsTheirTickets()
    {
        var tag = Unique("t");
        var theirs = await CreateTicketAsync(TicketRequest(tag, name: "王小明"));
        await CreateTicketAsync(TicketRequest(tag, name: "Somebody Else"));

        Assert.Equal([theirs.Id()], await SearchAsync(tag, "小明"));
    }

    [Fact]
    public async Task Search_AfterSubjectChange_FindsNewSubjectOnly()
    {
        var tag = Unique("t");
        var ticket = await CreateTicketAsync(TicketRequest(tag, subject: "Broken keyboard", body: "Help"));

        await PatchAsync($"/api/v1/tickets/{ticket.Id()}", new { subject = "Broken monitor" });

        Assert.Equal([ticket.Id()], await SearchAsync(tag, "monitor"));
        Assert.Empty(await SearchAsync(tag, "keyboard"));
    }

    [Fact]
    public async Task Search_NonMatchingWord_ReturnsNothing()
    {
        await CreateTicketAsync(TicketRequest(Unique("t"), subject: "Anything", body: "Something"));

        var page = await ListTicketsAsync("q=" + Unique("zzq"));

        Assert.Empty(page.Ids());
    }

    [Theory]
    [InlineData("o'brien")]
    [InlineData("a:*|b&(c)!")]
    [InlineData("NOT AND OR NEAR")]
    [InlineData("\\'; DROP TABLE tickets; --")]
    public async Task Search_QuerySyntaxCharacters_AreTakenAsText(string query)
    {
        var tag = Unique("t");
        await CreateTicketAsync(TicketRequest(tag, subject: "Nothing special", body: "Plain words"));

        Assert.Empty(await SearchAsync(tag, query));
        await GetAsync("/api/v1/tickets?q=" + Uri.EscapeDataString(query));
    }

    [Fact]
    public async Task Search_QuotedWordsAndApostrophes_MatchTheWords()
    {
        var tag = Unique("t");
        var ticket = await CreateTicketAsync(TicketRequest(tag, subject: "Mr O'Brien's order", body: "Plain words"));

        Assert.Equal([ticket.Id()], await SearchAsync(tag, "\"plain\" \"words"));
        Assert.Equal([ticket.Id()], await SearchAsync(tag, "o'brien's"));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("***")]
    [InlineData(" ")]
    public async Task Search_NoWordsInQuery_FiltersNothing(string query)
    {
        var tag = Unique("t");
        var ticket = await CreateTicketAsync(TicketRequest(tag));

        Assert.Equal([ticket.Id()], await SearchAsync(tag, query));
    }

    [Fact]
    public async Task Search_TicketOfOtherDepartment_IsNotFoundByAgent()
    {
        var tag = Unique("t");
        var word = Unique("secret");
        var department = await CreateDepartmentAsync();
        var agent = await CreateAgentAsync([await CreateDepartmentAsync()]);
        var request = TicketRequest(tag, body: $"The code word is {word}");
        request["departmentId"] = department;
        var hidden = await CreateTicketAsync(request);

        Assert.Equal([hidden.Id()], await SearchAsync(tag, word));
        Assert.Empty(await SearchAsync(tag, word, agent.Client));
    }

    [Fact]
    public async Task Search_MergedMessages_FoundOnTheTarget()
    {
        var tag = Unique("t");
        var word = Unique("serial");
        var target = await CreateTicketAsync(TicketRequest(tag));
        var source = await CreateTicketAsync(TicketRequest("merge-search", body: $"Serial number {word}"));

        await Admin.PostAsJsonAsync($"/api/v1/tickets/{target.Id()}/merge", new { sourceTicketId = source.Id() }).ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal([target.Id()], await SearchAsync(tag, word));
    }

    [Fact]
    public async Task ChineseText_RoundTrips_InSubjectBodyAndContactName()
    {
        const string subject = "退款申请：订单 #123 未收到";
        const string body = "您好，我想申请退款。谢谢！😊";
        const string name = "李华（客户）";

        var ticket = await CreateTicketAsync(TicketRequest(Unique("t"), subject: subject, body: body, name: name));

        var read = await GetAsync($"/api/v1/tickets/{ticket.Id()}");
        Assert.Equal(subject, read.Str("subject"));
        Assert.Equal(name, read.GetProperty("customer").Str("name"));
        Assert.Equal(body, (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Single().Str("bodyText"));
        Assert.Equal(name, (await GetAsync($"/api/v1/contacts/{ticket.GetProperty("customer").Id()}")).Str("name"));
    }

    [Fact]
    public async Task Search_WordInMoreThanTenThousandEntries_FindsTheSameTicketsNewestFirst()
    {
        // Past 10,000 matching entries the search walks the tickets newest first and checks each against
        // the matches instead of reading them all; the tickets found and their order must not change.
        var tag = Unique("t");
        var word = Unique("w");
        var oldest = await CreateTicketAsync(TicketRequest(tag, subject: $"Invoice {word}", body: "Please resend."));
        await CreateTicketAsync(TicketRequest(tag, subject: "Password reset", body: "Please help."));
        var middle = await CreateTicketAsync(TicketRequest(tag, subject: "Question", body: $"我的 {word} 订单"));
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var newest = await CreateTicketAsync(TicketRequest(tag, name: $"Ligaya {word}"));
        Assert.Equal([newest.Id(), middle.Id(), oldest.Id()], await SearchAsync(tag, word));

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            // As if the oldest ticket had thousands of messages with the word (the messages themselves are not needed to match).
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            db.SearchEntries.AddRange(Enumerable.Range(0, 10_050).Select(i => new SearchEntry
            {
                Kind = SearchEntryKind.Message,
                TicketId = oldest.Id(),
                Tokens = $"line {i} {word}",
            }));
            await db.SaveChangesAsync();
        }

        Assert.Equal([newest.Id(), middle.Id(), oldest.Id()], await SearchAsync(tag, word));
        Assert.Equal([newest.Id()], await SearchAsync(tag, $"{word} ligaya"));
        Assert.Equal([oldest.Id()], await SearchAsync(tag, $"invoice {word}"));
    }

    private async Task<List<long>> SearchAsync(string tag, string query, HttpClient? client = null) =>
        (await ListTicketsAsync($"tag={tag}&q={Uri.EscapeDataString(query)}", client)).Ids();
}

public sealed class SearchTests_Sqlite(SqliteFactory factory) : SearchTests(factory), IClassFixture<SqliteFactory>;

public sealed class SearchTests_Postgres(PostgresFactory factory) : SearchTests(factory), IClassFixture<PostgresFactory>;
