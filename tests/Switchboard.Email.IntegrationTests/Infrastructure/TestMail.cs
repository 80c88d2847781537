using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>Messages as customers' mail programs write them.</summary>
public static class TestMail
{
    static TestMail() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string NewCustomer(string prefix = "customer") => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}@example.test";

    public static MimeMessage Plain(string from, string to, string subject, string body, string? fromName = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName ?? "", from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeUtils.GenerateMessageId("client.example.test");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>A reply as mail programs send it: threading headers pointing at <paramref name="inReplyTo"/>.</summary>
    public static MimeMessage Reply(string from, string to, string subject, string body, string? inReplyTo)
    {
        ArgumentException.ThrowIfNullOrEmpty(inReplyTo);
        var message = Plain(from, to, subject, body);
        message.InReplyTo = inReplyTo;
        message.References.Add(inReplyTo);
        return message;
    }

    /// <summary>Subject and text in a legacy Chinese charset (GB2312), as many mail programs in China still send.</summary>
    public static MimeMessage Gb2312(string from, string to, string subject, string body)
    {
        var gb2312 = Encoding.GetEncoding("gb2312");
        var message = Plain(from, to, "", "");
        message.Headers.Replace(new Header(gb2312, HeaderId.Subject, subject));
        var part = new TextPart("plain");
        part.SetText(gb2312, body);
        part.ContentTransferEncoding = ContentEncoding.Base64;
        message.Body = part;
        return message;
    }

    public static MimeMessage WithAttachment(string from, string to, string subject, string body, string fileName, byte[] content, string mediaType = "application/pdf")
    {
        var message = Plain(from, to, subject, body);
        var builder = new BodyBuilder { TextBody = body };
        builder.Attachments.Add(fileName, content, ContentType.Parse(mediaType));
        message.Body = builder.ToMessageBody();
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// A delivery status notification (RFC 3464) from a mail server that could not deliver
    /// <paramref name="original"/> to <paramref name="failedRecipient"/>; the original comes back attached.
    /// </summary>
    public static MimeMessage Bounce(MimeMessage original, string failedRecipient, string to)
    {
        ArgumentNullException.ThrowIfNull(original);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Undelivered Mail Returned to Sender";
        message.MessageId = MimeUtils.GenerateMessageId("mx.example.test");
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; mx.example.test" } };
        var perRecipient = new HeaderList
        {
            { "Final-Recipient", "rfc822; " + failedRecipient },
            { "Action", "failed" },
            { "Status", "5.1.1" },
            { "Diagnostic-Code", "smtp; 550 5.1.1 <" + failedRecipient + ">: Recipient address rejected: User unknown" },
        };
        status.StatusGroups.Add(perMessage);
        status.StatusGroups.Add(perRecipient);
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "I'm sorry to have to inform you that your message could not be delivered to one or more recipients." },
            status,
            new MessagePart { Message = original },
        };
        message.Body = report;
        return message;
    }
}
