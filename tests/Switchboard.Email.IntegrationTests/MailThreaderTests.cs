using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>Which ticket an inbound mail joins, and the reason the agent sees on the message.</summary>
public sealed class MailThreaderTests(SqliteMailDeskWithShortReopenWindow desk) : MailDeskTests(desk), IClassFixture<SqliteMailDeskWithShortReopenWindow>
{
    [Fact]
    public async Task Reply_InReplyToOurOutboundMessageId_JoinsTheTicket()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port)).Str("address");
        var customer = TestMail.NewCustomer();
        await DeliverAsync(TestMail.Plain(customer, address, "Where is my order?", "Order 5521 has not arrived."));
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        await Desk.ReplyAsync(ticket.Id(), "It left our warehouse yesterday.");
        var ours = await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(customer), "our reply to reach the customer");

        // The customer's mail program threads by header; the subject says nothing about the ticket.
        await DeliverAsync(TestMail.Reply(customer, address, "Thanks!", "Got it, thank you.", ours.Message.MessageId));

        Assert.Single(await Desk.TicketsAsync(departmentId));
        var messages = await Desk.MessagesAsync(ticket.Id());
        Assert.Equal(3, messages.Count);
        Assert.Equal("Got it, thank you.", messages[2].Str("bodyText"));
        Assert.Contains($"<{ours.Message.MessageId}>", messages[2].Str("threadingReason"), StringComparison.Ordinal);
        Assert.Contains("new conversation", messages[0].Str("threadingReason"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SubjectTag_FromTheCustomerJoins_FromAStrangerStartsANewTicket()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var customer = TestMail.NewCustomer();
        await DeliverAsync(TestMail.Plain(customer, address, "Login fails", "The login page says my password is wrong."));
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        var tag = $"[#{ticket.Id()}]";

        await DeliverAsync(TestMail.Plain(customer, address, $"Re: Login fails {tag}", "It works on my phone, though."));
        await DeliverAsync(TestMail.Plain(TestMail.NewCustomer("stranger"), address, $"{tag} Please send me the details", "I am someone else."));

        var tickets = await Desk.TicketsAsync(departmentId);
        Assert.Equal(2, tickets.Count);
        var joined = await Desk.MessagesAsync(ticket.Id());
        Assert.Equal(["The login page says my password is wrong.", "It works on my phone, though."], joined.Select(m => m.Str("bodyText")));
        Assert.Contains(tag, joined[1].Str("threadingReason"), StringComparison.Ordinal);
        Assert.Contains("customer", joined[1].Str("threadingReason"), StringComparison.Ordinal);

        var strangers = tickets.Single(t => t.Id() != ticket.Id());
        Assert.Equal("Please send me the details", strangers.Str("subject"));
        var reason = Assert.Single(await Desk.MessagesAsync(strangers.Id())).Str("threadingReason");
        Assert.Contains(tag, reason, StringComparison.Ordinal);
        Assert.Contains("new ticket", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_ToResolvedTicket_ReopensIt()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var customer = TestMail.NewCustomer();
        var first = TestMail.Plain(customer, address, "Broken zipper", "The zipper of my bag broke.");
        await DeliverAsync(first);
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Equal("resolved", (await Desk.SetStatusAsync(ticket.Id(), "resolved")).Str("status"));

        await DeliverAsync(TestMail.Reply(customer, address, "Re: Broken zipper", "The replacement broke as well.", first.MessageId));

        Assert.Single(await Desk.TicketsAsync(departmentId));
        Assert.Equal("open", (await Desk.TicketAsync(ticket.Id())).Str("status"));
        var reason = (await Desk.MessagesAsync(ticket.Id()))[^1].Str("threadingReason");
        Assert.Contains($"<{first.MessageId}>", reason, StringComparison.Ordinal);
        Assert.Contains("reopened", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_ToTicketMergedIntoAnother_JoinsTheTicketItWasMergedInto()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port)).Str("address");
        var customer = TestMail.NewCustomer();
        await DeliverAsync(TestMail.Plain(customer, address, "Invoice 77 is wrong", "The VAT is missing."));
        await DeliverAsync(TestMail.Plain(customer, address, "Invoice 77 again", "Also the address is old."));
        var tickets = await Desk.TicketsAsync(departmentId);
        var (kept, merged) = (tickets[0].Id(), tickets[1].Id());
        await Desk.ReplyAsync(merged, "We are looking into the address.");
        var ours = await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(customer), "the reply on the second ticket");
        await Desk.MergeAsync(kept, merged);

        await DeliverAsync(TestMail.Reply(customer, address, "Re: Invoice 77 again", "Here is the new address.", ours.Message.MessageId));

        var messages = await Desk.MessagesAsync(kept);
        Assert.Equal("Here is the new address.", messages[^1].Str("bodyText"));
        Assert.Equal(4, messages.Count);
        Assert.Equal(2, (await Desk.TicketsAsync(departmentId)).Count);
    }

    [Fact]
    public async Task Reply_ToTicketClosedLongerThanTheReopenWindow_StartsFollowUpTicket()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId)).Str("address");
        var customer = TestMail.NewCustomer();
        var first = TestMail.Plain(customer, address, "Noisy fan", "The fan is very loud.");
        await DeliverAsync(first);
        var old = Assert.Single(await Desk.TicketsAsync(departmentId));
        await Desk.SetStatusAsync(old.Id(), "closed");
        await Task.Delay(SqliteMailDeskWithShortReopenWindow.ReopenWindow + TimeSpan.FromSeconds(1));

        await DeliverAsync(TestMail.Reply(customer, address, "Re: Noisy fan", "It is loud again.", first.MessageId));

        Assert.Equal("closed", (await Desk.TicketAsync(old.Id())).Str("status"));
        var followUp = (await Desk.TicketsAsync(departmentId)).Single(t => t.Id() != old.Id());
        Assert.Equal("Noisy fan", followUp.Str("subject"));
        Assert.Equal(old.Id(), followUp.GetProperty("followUpOfId").GetInt64());
        Assert.Contains("new ticket linked", Assert.Single(await Desk.MessagesAsync(followUp.Id())).Str("threadingReason"), StringComparison.Ordinal);
    }
}
