using MimeKit;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

public sealed class BounceDetectionTests
{
    [Fact]
    public void Parse_DeliveryStatusReport_FindsTheBouncedMessageAndRecipient()
    {
        var mail = TestMail.ParseCorpus("mail033-undelivered-mail-returned-to-sender");

        Assert.NotNull(mail.Bounce);
        Assert.Equal("20150830145601.30.608881@edenhofer.zammad.com", mail.Bounce.OriginalMessageId);
        Assert.Equal(["not_existing@znuny.com"], mail.Bounce.FailedRecipients);
        Assert.Contains("User unknown", mail.Bounce.Diagnostic, StringComparison.Ordinal);
        Assert.NotNull(mail.Automatic);
    }

    [Fact]
    public void Parse_ReportWithReturnedHeadersOnly_FindsTheBouncedMessage()
    {
        // The report returns only the headers, as text/rfc822-headers.
        var mail = TestMail.ParseCorpus("mail053");

        Assert.NotNull(mail.Bounce);
        Assert.Equal("20170227103514.188.920664@help.example.com", mail.Bounce.OriginalMessageId);
        Assert.Equal(["john_example@example.com"], mail.Bounce.FailedRecipients);
    }

    [Fact]
    public void Parse_DelayNotification_IsNotABounce()
    {
        var mail = TestMail.ParseCorpus("mail078");

        Assert.Null(mail.Bounce);
        Assert.Equal(AutomaticKind.AutoSubmitted, mail.Automatic);
    }

    [Fact]
    public void Parse_QmailStyleBounce_FindsRecipientAndMessageIdInTheText()
    {
        var raw = """
            Return-Path: <>
            From: MAILER-DAEMON@mail.example.net
            To: support@example.org
            Subject: failure notice
            Message-ID: <bounce-1@mail.example.net>

            Hi. This is the qmail-send program at mail.example.net.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.

            <gone@example.com>:
            Sorry, no mailbox here by that name. (#5.1.1)

            --- Below this line is a copy of the message.

            Return-Path: <support@example.org>
            Message-ID: <reply-42@example.org>
            From: support@example.org
            To: gone@example.com
            Subject: Re: your ticket

            We have looked into it.
            """;

        var mail = TestMail.ParseMail(raw);

        Assert.NotNull(mail.Bounce);
        Assert.Equal("reply-42@example.org", mail.Bounce.OriginalMessageId);
        Assert.Equal(["gone@example.com"], mail.Bounce.FailedRecipients);
        Assert.Equal(AutomaticKind.NullReturnPath, mail.Automatic);
    }

    [Fact]
    public void Parse_DaemonMailWithReturnedMessage_IsABounce()
    {
        var returned = TestMail.Customer();
        returned.MessageId = "reply-7@example.org";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery Subsystem", "mailer-daemon@mx.example.com"));
        message.To.Add(MailboxAddress.Parse("support@example.org"));
        message.Subject = "Returned mail: see transcript for details";
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "The original message was received but could not be delivered." },
            new MessagePart { Message = returned },
        };

        var mail = TestMail.ParseMail(message);

        Assert.Equal("reply-7@example.org", mail.Bounce?.OriginalMessageId);
        Assert.Equal(AutomaticKind.DaemonSender, mail.Automatic);
    }

    [Fact]
    public void Parse_OrdinaryMail_IsNoBounce()
    {
        Assert.Null(TestMail.ParseMail(TestMail.Customer()).Bounce);
    }
}
