using System.Text;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

public sealed class MailParserCharsetTests
{
    [Fact]
    public void Parse_Gb2312LabelWithGbkCharacters_DecodesChinese()
    {
        // 镕 is in GBK but not in GB2312; Chinese mail clients label such text GB2312 all the same.
        var raw = Message("gb2312", Encoding.GetEncoding(936).GetBytes("朱镕基 你好"), subject: "=?gb2312?B?" + Base64(Encoding.GetEncoding(936), "问题") + "?=");

        var mail = TestMail.ParseMail(raw);

        Assert.Equal("问题", mail.Subject);
        Assert.Equal("朱镕基 你好", mail.Text);
    }

    [Fact]
    public void Parse_UndeclaredGb2312AttachmentName_UsesTheCharsetOfTheMultipart()
    {
        var mail = TestMail.ParseCorpus("mail015");

        Assert.Equal("绩效管理,究竟谁错了", mail.Subject);
        Assert.Equal("绩效管理,究竟谁错了.xls", Assert.Single(mail.Attachments).FileName);
    }

    [Fact]
    public void Parse_Big5Message_DecodesTraditionalChinese()
    {
        var big5 = Encoding.GetEncoding("big5");
        var raw = Message("big5", big5.GetBytes("繁體中文測試"), subject: "=?big5?B?" + Base64(big5, "測試") + "?=");

        var mail = TestMail.ParseMail(raw);

        Assert.Equal("測試", mail.Subject);
        Assert.Equal("繁體中文測試", mail.Text);
    }

    [Fact]
    public void Parse_Iso2022JpMessage_DecodesJapaneseHeadersAndBody()
    {
        var mail = TestMail.ParseCorpus("mail091");

        Assert.Equal("メルマガ解除", mail.Subject);
        Assert.Equal("岡本和正", mail.From?.DisplayName);
        Assert.Contains("このアドレスへのメルマガを解除してください。", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShiftJisLabelledIso2022Jp_DecodesJapanese()
    {
        var mail = TestMail.ParseCorpus("mail093");

        Assert.Equal("ツール", mail.Subject);
        Assert.Equal("ツール EXAMPLE", mail.From?.DisplayName);
        Assert.Equal("駅北口", Assert.Single(mail.To).DisplayName);
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("iso-8859-1")]
    public void Parse_Windows1252Text_DecodesEuroSignAndUmlauts(string charset)
    {
        // 0x80 is the euro sign in windows-1252; mail labelled ISO-8859-1 means the same in practice.
        var raw = Message(charset, [.. Encoding.ASCII.GetBytes("Preis: 5 "), 0x80, .. Encoding.ASCII.GetBytes(" f"), 0xFC, (byte)'r', 0xA0, (byte)'S']);

        var mail = TestMail.ParseMail(raw);

        Assert.Equal("Preis: 5 € für\u00A0S", mail.Text);
    }

    [Fact]
    public void Parse_Utf8DeclaredAsLatin1_DecodesAsUtf8()
    {
        var mail = TestMail.ParseMail(Message("iso-8859-1", Encoding.UTF8.GetBytes("Grüße aus Köln")));

        Assert.Equal("Grüße aus Köln", mail.Text);
    }

    [Fact]
    public void Parse_MissingCharsetWithLatin1Bytes_DecodesAsWindows1252()
    {
        var mail = TestMail.ParseMail(Message(null, Encoding.Latin1.GetBytes("Grüße aus Köln")));

        Assert.Equal("Grüße aus Köln", mail.Text);
    }

    [Fact]
    public void Parse_Utf8WithAStrayLatin1Byte_KeepsTheCharacter()
    {
        var mail = TestMail.ParseMail(Message("utf-8", [.. Encoding.UTF8.GetBytes("Grüße, "), 0xE9, .. Encoding.UTF8.GetBytes("té")]));

        Assert.Equal("Grüße, été", mail.Text);
    }

    [Fact]
    public void Parse_UndeclaredGb2312Body_IsRecognized()
    {
        var mail = TestMail.ParseCorpus("mail023");

        Assert.StartsWith("机房环境法规", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Utf7Body_IsDecoded()
    {
        var mail = TestMail.ParseMail(Message("utf-7", Encoding.ASCII.GetBytes("Gr+APw-+AN8-e")));

        Assert.Equal("Grüße", mail.Text);
    }

    [Fact]
    public void Parse_EncodedWordsInSeveralCharsets_DecodesEachWord()
    {
        var mail = TestMail.ParseCorpus("mail006");

        Assert.Equal("utf8: 使って / ISO-8859-1: Priorität\"  / cp-1251: Сергей Углицких", mail.Subject);
        Assert.Equal("Hans BÄKOSchönland", mail.From?.DisplayName);
    }

    [Fact]
    public void Parse_RawUtf8Header_IsDecoded()
    {
        var raw = Encoding.UTF8.GetBytes("From: Jürgen Größ <j@example.com>\nTo: s@example.org\nSubject: Größe\n\nHallo\n");

        var mail = TestMail.ParseMail(raw);

        Assert.Equal("Größe", mail.Subject);
        Assert.Equal("Jürgen Größ", mail.From?.DisplayName);
    }

    [Theory]
    [InlineData("Grüße aus Köln, à bientôt", 1252, 1252)]
    [InlineData("Привет, как дела? Всё хорошо.", 1251, 1251)]
    [InlineData("机房环境法规，请查收。", 936, 54936)]
    public void GuessUndeclared_TextWithoutCharset_FindsTheScript(string text, int writtenIn, int expectedCodePage)
    {
        var bytes = Encoding.GetEncoding(writtenIn).GetBytes(text);

        Assert.Equal(expectedCodePage, MailCharsets.GuessUndeclared(bytes).CodePage);
    }

    private static byte[] Message(string? charset, byte[] body, string subject = "Test")
    {
        var contentType = charset is null ? "text/plain" : $"text/plain; charset={charset}";
        var head = $"From: a@example.com\nTo: b@example.org\nSubject: {subject}\nMIME-Version: 1.0\nContent-Type: {contentType}\nContent-Transfer-Encoding: 8bit\n\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    private static string Base64(Encoding encoding, string text) => Convert.ToBase64String(encoding.GetBytes(text));
}
