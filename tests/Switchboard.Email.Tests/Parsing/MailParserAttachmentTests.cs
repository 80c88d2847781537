using System.Text;
using MimeKit;
using MimeKit.Tnef;

namespace Switchboard.Email.Tests.Parsing;

public sealed class MailParserAttachmentTests
{
    [Fact]
    public void Parse_Rfc2231FileName_IsDecoded()
    {
        var raw = Multipart(
            "Content-Type: application/pdf\nContent-Disposition: attachment; filename*=utf-8''%E2%82%AC%20Preisliste%20f%C3%BCr%202025.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n");

        var attachment = Assert.Single(TestMail.ParseMail(raw).Attachments);

        Assert.Equal("€ Preisliste für 2025.pdf", attachment.FileName);
        Assert.Equal("%PDF-"u8.ToArray(), attachment.Content);
    }

    [Fact]
    public void Parse_Rfc2231FileNameInSections_IsJoined()
    {
        var raw = Multipart(
            "Content-Type: text/plain\nContent-Disposition: attachment;\n filename*0*=iso-8859-1''Gr%FC%DFe;\n filename*1=\" aus \";\n filename*2*=K%F6ln.txt\n\nhello\n");

        Assert.Equal("Grüße aus Köln.txt", Assert.Single(TestMail.ParseMail(raw).Attachments).FileName);
    }

    [Fact]
    public void Parse_Rfc2231NameWithWrongCharset_KeepsTheUmlaut()
    {
        var attachments = TestMail.ParseCorpus("mail073").Attachments;

        Assert.Contains(attachments, a => a.FileName == "Forex Platte ohne Wölbung.jpg");
    }

    [Theory]
    [InlineData("mail081", "Erklärung.txt")]
    [InlineData("mail048", "CPG-Reklamationsmitteilung bezügl.01234567895 an Voda-28.03.2017.jpg")]
    [InlineData("mail073", "Bestellbestätigung_BK18052795.jpg")]
    public void Parse_Rfc2047FileName_IsDecoded(string message, string fileName)
    {
        Assert.Contains(TestMail.ParseCorpus(message).Attachments, a => a.FileName == fileName);
    }

    [Fact]
    public void Parse_TnefWinmailDat_ExtractsTheAttachedFiles()
    {
        var message = TestMail.Customer();
        var body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "See the attached report." },
            new TnefPart { FileName = "winmail.dat", Content = new MimeContent(new MemoryStream(Tnef("report.txt", "quarterly numbers"u8.ToArray()))) },
        };
        message.Body = body;

        var mail = TestMail.ParseMail(message);

        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("report.txt", attachment.FileName);
        Assert.Equal("quarterly numbers", Encoding.ASCII.GetString(attachment.Content));
        Assert.Equal("See the attached report.", mail.Text);
    }

    [Fact]
    public void Parse_TruncatedTnef_KeepsWinmailDatAsAFile()
    {
        var message = TestMail.Customer();
        var broken = Tnef("report.txt", "quarterly numbers"u8.ToArray())[..45];
        message.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "See the attached report." },
            new TnefPart { FileName = "winmail.dat", Content = new MimeContent(new MemoryStream(broken)) },
        };

        var attachment = Assert.Single(TestMail.ParseMail(message).Attachments);

        Assert.Equal("winmail.dat", attachment.FileName);
        Assert.Equal(broken, attachment.Content);
    }

    [Fact]
    public void Parse_UuencodedTransferEncoding_IsDecoded()
    {
        var mail = TestMail.ParseCorpus("mail078-content_transfer_encoding_x_uuencode");

        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("PGP_Cmts_on_12-14-01_Pkg.txt", attachment.FileName);
        Assert.Equal("Hello Zammad", Encoding.ASCII.GetString(attachment.Content));
    }

    [Fact]
    public void Parse_UuencodedBlockInText_BecomesAnAttachment()
    {
        var mail = TestMail.ParseCorpus("mail025");

        var attachment = Assert.Single(mail.Attachments);
        Assert.Equal("rulesets-report.csv", attachment.FileName);
        Assert.StartsWith("RULESET", Encoding.ASCII.GetString(attachment.Content), StringComparison.Ordinal);
        Assert.DoesNotContain("begin 644", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ForwardedMessage_IsKeptAsEmlNamedAfterItsSubject()
    {
        var mail = TestMail.ParseCorpus("mail014");

        var forwarded = mail.Attachments.Single(a => a.FileName == "Neue Anfrage erstellt - 33284.eml");
        Assert.Equal("message/rfc822", forwarded.ContentType);
        var inner = MimeMessage.Load(new MemoryStream(forwarded.Content));
        Assert.Equal("Neue Anfrage erstellt - 33284", inner.Subject);
    }

    [Fact]
    public void Parse_InlineImageReferencedByCid_IsInlineWithItsContentId()
    {
        var mail = TestMail.ParseCorpus("mail009");

        var image = Assert.Single(mail.Attachments);
        Assert.True(image.IsInline);
        Assert.Equal("485376C9-2486-4351-B932-E2010998F579@home", image.ContentId);
        Assert.Contains("src=\"cid:485376C9-2486-4351-B932-E2010998F579@home\"", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ImageReferencedByContentLocation_IsShownInline()
    {
        var raw = "From: a@example.com\nTo: b@example.org\nSubject: Logo\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary=RR\n\n" +
            "--RR\nContent-Type: text/html\n\n<p>Our logo: <img src=\"logo.png\"></p>\n" +
            "--RR\nContent-Type: image/png\nContent-Location: logo.png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--RR--\n";

        var mail = TestMail.ParseMail(raw);

        var logo = Assert.Single(mail.Attachments);
        Assert.True(logo.IsInline);
        Assert.NotNull(logo.ContentId);
        Assert.Contains($"src=\"cid:{logo.ContentId}\"", mail.Html, StringComparison.Ordinal);
        Assert.False(mail.HasRemoteContent);
    }

    [Fact]
    public void Parse_TextImageTextInMixed_ShowsTheImagesInPlace()
    {
        var mail = TestMail.ParseCorpus("mail102");

        Assert.NotNull(mail.Html);
        var first = mail.Html.IndexOf("cid:inline_attachment_placeholder_1", StringComparison.Ordinal);
        var second = mail.Html.IndexOf("cid:inline_attachment_placeholder_2", StringComparison.Ordinal);
        Assert.True(first > mail.Html.IndexOf("Test 123", StringComparison.Ordinal) && second > first);
        Assert.False(mail.Attachments.Single(a => a.FileName == "documentation-todo.pdf").IsInline);
    }

    [Fact]
    public void Parse_PartsWithoutName_GetNamesFromTypeAndContentId()
    {
        var names = TestMail.ParseCorpus("mail062").Attachments.Select(a => a.FileName).ToList();

        Assert.Equal(["image001.jpg", "image000.jpg", "document.html", "document1.html", "Video1.MOV", "Video2.MOV", "Video3.MOV", "video.mov", "video1.mov"], names);
    }

    private static string Multipart(string attachmentPart) =>
        "From: a@example.com\nTo: b@example.org\nSubject: Files\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n" +
        "--XX\nContent-Type: text/plain\n\nPlease see the file.\n--XX\n" + attachmentPart + "--XX--\n";

    /// <summary>A minimal winmail.dat: the TNEF signature, a message class and one attachment by value.</summary>
    private static byte[] Tnef(string fileName, byte[] content)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(0x223E9F78u);
        writer.Write((ushort)0x0001);
        Attribute(writer, 1, 0x00089006, BitConverter.GetBytes(0x00010000u));
        Attribute(writer, 1, 0x00069007, [0xE4, 0x04, 0, 0, 0, 0, 0, 0]);
        Attribute(writer, 1, 0x00078008, Encoding.ASCII.GetBytes("IPM.Microsoft Mail.Note\0"));
        Attribute(writer, 2, 0x00069002, [1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0]);
        Attribute(writer, 2, 0x00018010, Encoding.ASCII.GetBytes(fileName + "\0"));
        Attribute(writer, 2, 0x0006800F, content);
        writer.Flush();
        return stream.ToArray();
    }

    private static void Attribute(BinaryWriter writer, byte level, uint tag, byte[] data)
    {
        writer.Write(level);
        writer.Write(tag);
        writer.Write((uint)data.Length);
        writer.Write(data);
        ushort checksum = 0;
        foreach (var b in data)
        {
            checksum += b;
        }

        writer.Write(checksum);
    }
}
