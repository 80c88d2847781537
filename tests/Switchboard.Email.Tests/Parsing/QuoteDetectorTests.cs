using MimeKit;

namespace Switchboard.Email.Tests.Parsing;

public sealed class QuoteDetectorTests
{
    [Theory]
    [InlineData("Thanks, that worked.\n\nOn Mon, 3 Jun 2024 at 10:00, Support <support@example.org> wrote:\n> Please restart the printer.")]
    [InlineData("Thanks, that worked.\n\nOn Mon, 3 Jun 2024 at 10:00, Support Team of Example Corporation <support@example.org>\nwrote:\n\n> Please restart the printer.")]
    [InlineData("Thanks, that worked.\n\n> Please restart the printer.\n> Kind regards")]
    [InlineData("Thanks, that worked.\n\nAm 03.06.2024 um 10:00 schrieb Support <support@example.org>:\n> Bitte starten Sie den Drucker neu.")]
    [InlineData("Thanks, that worked.\n\n-----Original Message-----\nFrom: Support\nSent: Monday, June 3, 2024 10:00 AM\nTo: Jane\nSubject: Printer")]
    [InlineData("Thanks, that worked.\n\n________________________________\nFrom: Support <support@example.org>\nSent: Monday, June 3, 2024 10:00\nTo: Jane\nSubject: Printer")]
    [InlineData("Thanks, that worked.\n\nVon: Support <support@example.org>\nGesendet: Montag, 3. Juni 2024 10:00\nAn: Jane\nBetreff: Drucker")]
    [InlineData("Thanks, that worked.\n\nNoong Lun, Hun 3, 2024 nang 10:00 AM, sumulat si Support <support@example.org>:\n> Paki-restart ang printer.")]
    public void Parse_ReplyAboveQuote_CutsTheQuote(string body)
    {
        var mail = TestMail.ParseMail(TestMail.Customer("Re: Printer", body));

        Assert.Equal("Thanks, that worked.", mail.TextWithoutQuote);
    }

    [Theory]
    [InlineData("好的，谢谢。\n\n在 2024年6月3日 10:00，Support <support@example.org> 写道：\n> 请重启打印机。")]
    [InlineData("好的，谢谢。\n\n发件人: Support <support@example.org>\n发送时间: 2024年6月3日 10:00\n收件人: Jane\n主题: 打印机")]
    [InlineData("好的，谢谢。\n\n------------------ 原始邮件 ------------------\n发件人: \"Support\"<support@example.org>;\n发送时间: 2024年6月3日(星期一) 上午10:00")]
    public void Parse_ChineseReplyAboveQuote_CutsTheQuote(string body)
    {
        var mail = TestMail.ParseMail(TestMail.Customer("回复: 打印机", body));

        Assert.Equal("好的，谢谢。", mail.TextWithoutQuote);
    }

    [Theory]
    [InlineData("Thanks, that worked.")]
    [InlineData("> Please restart the printer.\n\nDone, it works now.")]
    public void Parse_NoQuoteOrQuoteFirst_LeavesTheTextWhole(string body)
    {
        Assert.Null(TestMail.ParseMail(TestMail.Customer("Re: Printer", body)).TextWithoutQuote);
    }

    [Fact]
    public void Parse_Forward_IsNotCollapsed()
    {
        var body = "FYI, see below.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\nSubject: Printer";

        Assert.Null(TestMail.ParseMail(TestMail.Customer("Fwd: Printer", body)).TextWithoutQuote);
    }

    [Theory]
    [InlineData("<div>Thanks, that worked.</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">On Mon, Support wrote:</div><blockquote class=\"gmail_quote\">Please restart the printer.</blockquote></div>")]
    [InlineData("<div>Thanks, that worked.</div><blockquote type=\"cite\">Please restart the printer.</blockquote>")]
    [InlineData("<div>Thanks, that worked.</div><hr><div id=\"divRplyFwdMsg\"><b>From:</b> Support<br><b>Sent:</b> Monday</div><div>Please restart the printer.</div>")]
    [InlineData("<div>Thanks, that worked.</div><div style=\"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm\"><p><b>From:</b> Support<br><b>Sent:</b> Monday</p></div><p>Please restart the printer.</p>")]
    public void Parse_HtmlReplyAboveQuote_CutsTheQuote(string html)
    {
        var message = TestMail.Customer("Re: Printer");
        message.Body = new TextPart("html") { Text = html };

        var mail = TestMail.ParseMail(message);

        Assert.Equal("Thanks, that worked.", mail.TextWithoutQuote);
        Assert.NotNull(mail.HtmlWithoutQuote);
        Assert.DoesNotContain("restart", mail.HtmlWithoutQuote, StringComparison.Ordinal);
        Assert.Contains("restart", mail.Html, StringComparison.Ordinal);
        Assert.Contains("data-sb-quote", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SenderSuppliedQuoteMarker_IsIgnored()
    {
        var message = TestMail.Customer("Re: Printer");
        message.Body = new TextPart("html") { Text = "<p data-sb-quote=\"start\">Everything here matters.</p>" };

        var mail = TestMail.ParseMail(message);

        Assert.Null(mail.HtmlWithoutQuote);
        Assert.DoesNotContain("data-sb-quote", mail.Html, StringComparison.Ordinal);
    }
}
