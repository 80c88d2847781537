namespace Switchboard.Email.Tests.Parsing;

public sealed class MailParserHeaderTests
{
    [Fact]
    public void Parse_ThreadHeaders_AreReadWithoutAngleBrackets()
    {
        var raw = """
            From: Jane <jane@example.com>
            To: support@example.org
            Subject: Re: Printer
            Message-ID: <reply-2@example.com>
            In-Reply-To: <ticket-1@example.org>
            References: <root@example.org>
             <ticket-1@example.org>
            Date: Mon, 03 Jun 2024 10:00:00 +0200

            Thanks
            """;

        var mail = TestMail.ParseMail(raw);

        Assert.Equal("reply-2@example.com", mail.MessageId);
        Assert.Equal(["ticket-1@example.org"], mail.InReplyTo);
        Assert.Equal(["root@example.org", "ticket-1@example.org"], mail.References);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 10, 0, 0, TimeSpan.FromHours(2)), mail.Date);
    }

    [Fact]
    public void Parse_UnreadableDate_IsNull()
    {
        var mail = TestMail.ParseMail("From: a@example.com\nDate: sometime last week\nSubject: x\n\nbody\n");

        Assert.Null(mail.Date);
    }

    [Fact]
    public void Parse_FromWithoutAngleBrackets_RecognizesTheAddress()
    {
        var from = TestMail.ParseCorpus("mail087").From;

        Assert.Equal("test@example.com", from?.Address);
        Assert.Equal("Test", from?.DisplayName);
    }

    [Fact]
    public void Parse_FromWithoutAddress_FallsBackToReplyTo()
    {
        Assert.Equal("vipyiming@126.com", TestMail.ParseCorpus("mail019").From?.Address);
        Assert.Equal("vipyimin@126.com", TestMail.ParseCorpus("mail016").From?.Address);
    }

    [Fact]
    public void Parse_AddressInComment_IsReadAsTheAddress()
    {
        var to = Assert.Single(TestMail.ParseCorpus("mail006").To);

        Assert.Equal("hans@example.com", to.Address);
        Assert.Equal("Namedyński", to.DisplayName);
    }

    [Fact]
    public void Parse_HeadersAfterAGarbageLine_AreAllRead()
    {
        // The message starts with a stray line and has folded lines that lost their indentation.
        var mail = TestMail.ParseCorpus("mail068");

        Assert.Equal("Contact from Server", mail.Subject);
        Assert.Equal("xxxxx@xxxxx.cz", mail.From?.Address);
        Assert.Equal("helpdek@xxxxx.cz", Assert.Single(mail.To).Address);
    }
}
