using Switchboard.Email.IntegrationTests.Infrastructure;

namespace Switchboard.Email.IntegrationTests;

/// <summary>An agent's reply on an email ticket goes out by SMTP, threaded, and survives an outage of the SMTP server.</summary>
public sealed class OutboxTests(SqliteMailDesk desk) : MailDeskTests(desk), IClassFixture<SqliteMailDesk>
{
    [Fact]
    public async Task AgentReply_OnEmailTicket_ReachesCustomerThreadedAndIsMarkedSent()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port)).Str("address");
        var customer = TestMail.NewCustomer();
        var question = TestMail.Plain(customer, address, "Can I change my delivery address?", "I moved last week.");
        await DeliverAsync(question);
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));

        var reply = await Desk.ReplyAsync(ticket.Id(), "Yes: tell us the new address and we will update the order.");

        var sent = await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(customer), "the reply to reach the customer's mail server");
        Assert.StartsWith("sb.", sent.Message.MessageId, StringComparison.Ordinal);
        Assert.Equal(question.MessageId, sent.Message.InReplyTo);
        Assert.Contains(question.MessageId, sent.Message.References);
        Assert.Contains($"[#{ticket.Id()}]", sent.Message.Subject, StringComparison.Ordinal);
        Assert.Equal(customer, Assert.Single(sent.Message.To.Mailboxes).Address);
        Assert.Equal(address, Assert.Single(sent.Message.From.Mailboxes).Address);
        Assert.Contains("tell us the new address", sent.Message.TextBody, StringComparison.Ordinal);
        var delivered = await Desk.WaitForDeliveryAsync(ticket.Id(), reply.Id(), "sent");
        Assert.Equal(customer, delivered.Str("to"));
        Assert.Single(Sink.To(customer));
    }

    [Fact]
    public async Task AgentReply_SmtpServerDown_StaysQueuedAndIsSentOnceItIsBack()
    {
        await using var downstream = new SmtpSink();
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, downstream.Port)).Str("address");
        var customer = TestMail.NewCustomer();
        await DeliverAsync(TestMail.Plain(customer, address, "Refund status", "Has my refund been sent?"));
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));

        var reply = await Desk.ReplyAsync(ticket.Id(), "The refund went out this morning.");

        Assert.Equal("queued", reply.Str("deliveryStatus"));
        // Long enough for the first attempt and a retry to fail against the closed port.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var waiting = (await Desk.MessagesAsync(ticket.Id())).Single(m => m.Id() == reply.Id());
        Assert.Equal("queued", waiting.Str("deliveryStatus"));

        await downstream.StartAsync();
        await Desk.WaitForDeliveryAsync(ticket.Id(), reply.Id(), "sent");
        var sent = Assert.Single(downstream.To(customer));
        Assert.Contains("The refund went out this morning.", sent.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentReply_WithFileOnTicketWithCopiedPeople_CarriesTheFileAndCopiesThem()
    {
        var departmentId = await Desk.CreateDepartmentAsync();
        var address = (await Desk.CreateSmtpMailboxAsync(departmentId, Sink.Port)).Str("address");
        var customer = TestMail.NewCustomer();
        var colleague = TestMail.NewCustomer("colleague");
        var question = TestMail.Plain(customer, address, "Need a quote", "For 40 chairs, please.");
        question.Cc.Add(new MimeKit.MailboxAddress("Colleague", colleague));
        await DeliverAsync(question);
        var ticket = Assert.Single(await Desk.TicketsAsync(departmentId));
        var pdf = "%PDF-1.4 quote for 40 chairs"u8.ToArray();
        var file = await Desk.UploadAsync("quote-40-chairs.pdf", pdf, "application/pdf");

        await Desk.ReplyAsync(ticket.Id(), "Our quote is attached.", file);

        var sent = await Sink.WaitForAsync(m => m.EnvelopeTo.Contains(customer), "the reply with the quote");
        Assert.Contains(colleague, sent.EnvelopeTo);
        Assert.Equal(colleague, Assert.Single(sent.Message.Cc.Mailboxes).Address);
        var attachment = Assert.IsType<MimeKit.MimePart>(Assert.Single(sent.Message.Attachments));
        Assert.Equal("quote-40-chairs.pdf", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(pdf, content.ToArray());
    }
}
