using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;
using Switchboard.Host.Tests.Portal;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>
/// Which channel a reply goes out on: the one the customer last used, or one the agent picks that
/// reaches the customer (email, the portal, a live chat) — refused with a reason otherwise.
/// </summary>
public abstract class ReplyChannelTests(SwitchboardFactory factory) : PortalTests(factory)
{
    /// <summary>A ticket the signed-up customer opened in the portal.</summary>
    private static async Task<long> PortalTicketAsync(Customer customer, string subject)
    {
        var (_, _, url) = await SubmitAsync(customer.Client, "/portal/tickets/new", "/portal/tickets/new",
            Fields(("subject", subject), ("body", "Paki-tulong po. 请帮忙。")));
        return long.Parse(url!.AbsolutePath.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonElement Option(JsonElement options, string channel) =>
        options.GetProperty("channels").EnumerateArray().Single(c => c.Str("channel") == channel);

    private async Task<List<(string Subject, string? AttachmentIds)>> RepliesMailedToAsync(string address)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var mails = await db.OutboundMails.AsNoTracking().Where(m => m.ToAddresses == address && m.Kind == Core.Model.OutboundMailKind.Reply)
            .Select(m => new { m.Subject, m.AttachmentIds }).ToListAsync();
        return mails.Select(m => (m.Subject, m.AttachmentIds)).ToList();
    }

    [Fact]
    public async Task ReplyChannels_PortalTicket_DefaultsToThePortalAndOffersEmail()
    {
        var customer = await SignUpAsync("Lorna Lim");
        var ticket = await PortalTicketAsync(customer, "Bayad 退款 " + Unique("s"));

        var options = await GetAsync($"/api/v1/tickets/{ticket}/reply-channels");

        Assert.Equal("portal", options.Str("default"));
        Assert.Equal("portal", options.Str("lastUsed"));
        Assert.True(Option(options, "portal").GetProperty("available").GetBoolean());
        Assert.Equal(customer.Email, Option(options, "email").Str("to"));
        Assert.True(Option(options, "email").GetProperty("available").GetBoolean());
        Assert.False(Option(options, "chat").GetProperty("available").GetBoolean());
        Assert.Equal("this ticket has no chat.", Option(options, "chat").Str("reason"));
    }

    [Fact]
    public async Task PostMessage_NoChannelOnAPortalTicket_ShowsInThePortalWithoutMail()
    {
        var customer = await SignUpAsync();
        var ticket = await PortalTicketAsync(customer, "Portal question " + Unique("s"));

        var reply = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/messages", new { body = "Sagot namin: 已处理。" })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("portal", reply.Str("channel"));
        Assert.Empty(await RepliesMailedToAsync(customer.Email));
        Assert.Contains("Sagot namin: 已处理。", await HtmlAsync(customer.Client, $"/portal/tickets/{ticket}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostMessage_EmailPickedOnAPortalTicket_QueuesAThreadedMailWithTheAttachment()
    {
        var customer = await SignUpAsync();
        var ticket = await PortalTicketAsync(customer, "Invoice copy " + Unique("s"));
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("PDF-ish invoice"u8.ToArray());
        file.Headers.ContentType = new("application/pdf");
        form.Add(file, "file", "invoice-发票.pdf");
        var upload = await Admin.PostAsync("/api/v1/attachments", form).ShouldBeAsync(HttpStatusCode.Created);

        var reply = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/messages",
            new { body = "Here is your invoice.", channel = "email", attachmentIds = new[] { upload.Id() } }).ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("email", reply.Str("channel"));
        Assert.Equal("queued", reply.Str("deliveryStatus"));
        Assert.Equal(customer.Email, reply.Str("to"));
        Assert.Equal("invoice-发票.pdf", reply.GetProperty("attachments")[0].Str("fileName"));
        var mail = Assert.Single(await RepliesMailedToAsync(customer.Email));
        Assert.Contains($"[#{ticket}]", mail.Subject, StringComparison.Ordinal);
        Assert.Equal(upload.Id().ToString(System.Globalization.CultureInfo.InvariantCulture), mail.AttachmentIds);
        var page = await HtmlAsync(customer.Client, $"/portal/tickets/{ticket}");
        Assert.Contains("Here is your invoice.", page, StringComparison.Ordinal);
        Assert.Contains("invoice-发票.pdf", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostMessage_ChatPickedWithoutALiveChat_Returns400WithTheReasonAndStoresNothing()
    {
        var customer = await SignUpAsync();
        var ticket = await PortalTicketAsync(customer, "No chat here " + Unique("s"));

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/messages", new { body = "Hello?", channel = "chat" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The customer cannot be reached by chat: this ticket has no chat.", problem.Detail());
        Assert.Equal(1, (await GetAsync($"/api/v1/tickets/{ticket}")).GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task PostMessage_PortalPickedForACustomerWithoutAnAccount_Returns400()
    {
        var ticket = await CreateTicketAsync(Unique("t"));

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "See the portal.", channel = "portal" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The customer cannot be reached by portal: the customer has no confirmed portal account.", problem.Detail());
    }

    [Fact]
    public async Task PostMessage_ChannelWithoutAWayBack_Returns400NamingTheChoices()
    {
        var ticket = await CreateTicketAsync(Unique("t"));

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Calling you.", channel = "sms" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var unknown = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Faxing you.", channel = "fax" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Replies cannot be sent by sms; choose one of: email, portal, chat.", problem.Detail());
        Assert.Contains("'fax' is not a valid channel", unknown.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostMessage_ApiTicketWithoutChoice_IsRecordedOnItsChannelAsBefore()
    {
        await EnsureMailboxAsync();
        var email = UniqueEmail();
        var ticket = await CreateTicketAsync(TicketRequest(Unique("t"), email: email));

        var options = await GetAsync($"/api/v1/tickets/{ticket.Id()}/reply-channels");
        var reply = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Noted." }).ShouldBeAsync(HttpStatusCode.Created);
        var mailed = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "By mail.", channel = "email" })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal("api", options.Str("default"));
        Assert.Equal("api", reply.Str("channel"));
        Assert.Equal("email", mailed.Str("channel"));
        Assert.Single(await RepliesMailedToAsync(email));
    }
}

public sealed class ReplyChannelTests_Sqlite(PortalSqliteFactory factory) : ReplyChannelTests(factory), IClassFixture<PortalSqliteFactory>;

public sealed class ReplyChannelTests_Postgres(PortalPostgresFactory factory) : ReplyChannelTests(factory), IClassFixture<PortalPostgresFactory>;
