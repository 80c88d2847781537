using System.Text;
using MimeKit;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

/// <summary>Feeds raw messages, corpus messages and messages built with MimeKit to the parser.</summary>
internal static class TestMail
{
    public static MailParseResult Parse(byte[] raw, MailParserLimits? limits = null)
    {
        using var stream = new MemoryStream(raw);
        return MailParser.Parse(stream, limits ?? MailParserLimits.Default, CancellationToken.None);
    }

    public static MailParseResult Parse(string raw, MailParserLimits? limits = null) =>
        Parse(Encoding.UTF8.GetBytes(raw), limits);

    public static ParsedMail ParseMail(byte[] raw)
    {
        var result = Parse(raw);
        Assert.False(result.IsQuarantined, result.QuarantineReason);
        return result.Mail;
    }

    public static ParsedMail ParseMail(string raw) => ParseMail(Encoding.UTF8.GetBytes(raw));

    public static ParsedMail ParseMail(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return ParseMail(stream.ToArray());
    }

    public static ParsedMail ParseCorpus(string name) => ParseMail(MailCorpus.ReadMessage(name));

    /// <summary>A plain message from a customer, ready to get more headers or a different body.</summary>
    public static MimeMessage Customer(string subject = "Printer is broken", string body = "It does not print.")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Jane Customer", "jane@example.com"));
        message.To.Add(new MailboxAddress("Support", "support@example.org"));
        message.Subject = subject;
        message.MessageId = "request-1@example.com";
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }
}
