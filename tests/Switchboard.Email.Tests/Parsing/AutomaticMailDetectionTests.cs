using MimeKit;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

public sealed class AutomaticMailDetectionTests
{
    [Theory]
    [InlineData("Auto-Submitted", "auto-replied", AutomaticKind.AutoSubmitted)]
    [InlineData("Auto-Submitted", "auto-generated", AutomaticKind.AutoSubmitted)]
    [InlineData("Auto-Submitted", "auto-notified; owner-email=\"x@example.com\"", AutomaticKind.AutoSubmitted)]
    [InlineData("X-Autoreply", "yes", AutomaticKind.AutoSubmitted)]
    [InlineData("X-Autorespond", "Out of office", AutomaticKind.AutoSubmitted)]
    [InlineData("Precedence", "bulk", AutomaticKind.Bulk)]
    [InlineData("Precedence", "junk", AutomaticKind.Bulk)]
    [InlineData("Precedence", "list", AutomaticKind.MailingList)]
    [InlineData("List-Id", "Support users <users.lists.example.org>", AutomaticKind.MailingList)]
    [InlineData("List-Unsubscribe", "<mailto:leave@lists.example.org>", AutomaticKind.MailingList)]
    [InlineData("Return-Path", "<>", AutomaticKind.NullReturnPath)]
    public void Parse_HeaderOfAutomaticMail_IsRecognized(string header, string value, AutomaticKind expected)
    {
        var message = TestMail.Customer();
        message.Headers.Add(header, value);

        Assert.Equal(expected, TestMail.ParseMail(message).Automatic);
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.example.com")]
    [InlineData("postmaster@example.com")]
    public void Parse_MailFromDaemon_IsRecognized(string sender)
    {
        var message = TestMail.Customer();
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse(sender));

        Assert.Equal(AutomaticKind.DaemonSender, TestMail.ParseMail(message).Automatic);
    }

    [Theory]
    [InlineData("Out of Office: Printer is broken")]
    [InlineData("Automatic reply: Printer is broken")]
    [InlineData("Abwesenheitsnotiz: Drucker")]
    [InlineData("自动回复: 打印机")]
    public void Parse_AutoReplySubject_IsAutoSubmitted(string subject)
    {
        Assert.Equal(AutomaticKind.AutoSubmitted, TestMail.ParseMail(TestMail.Customer(subject)).Automatic);
    }

    [Fact]
    public void Parse_AutoSubmittedNo_IsAnOrdinaryMail()
    {
        var message = TestMail.Customer();
        message.Headers.Add("Auto-Submitted", "no");
        message.Headers.Add("Return-Path", "<jane@example.com>");

        var mail = TestMail.ParseMail(message);

        Assert.Null(mail.Automatic);
        Assert.Equal("jane@example.com", mail.ReturnPath);
    }

    [Fact]
    public void Parse_NullReturnPath_IsReadAsEmpty()
    {
        var message = TestMail.Customer();
        message.Headers.Add("Return-Path", "<>");

        Assert.Equal("", TestMail.ParseMail(message).ReturnPath);
    }
}
