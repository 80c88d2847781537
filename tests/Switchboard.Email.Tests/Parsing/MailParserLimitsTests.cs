using System.Text;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

/// <summary>
/// Bad mail is quarantined with a reason, in bounded time and memory, and never throws. The tests only
/// check that each call returns with the right reason; the limits keep each within fractions of a second.
/// </summary>
public sealed class MailParserLimitsTests
{
    [Fact]
    public void Parse_MessageOverTheDefaultLimit_IsQuarantinedWithoutBeingRead()
    {
        using var stream = new UnreadableStream(26L * 1024 * 1024);

        var result = MailParser.Parse(stream, MailParserLimits.Default, CancellationToken.None);

        Assert.Equal("Message is larger than the 25 MB limit", result.QuarantineReason);
    }

    [Fact]
    public void Parse_UnseekableStreamOverTheLimit_StopsReadingAtTheLimit()
    {
        var raw = Encoding.ASCII.GetBytes("From: a@example.com\nSubject: big\n\n" + new string('x', 5000));
        using var stream = new ForwardOnlyStream(raw);

        var result = MailParser.Parse(stream, new MailParserLimits { MaxMessageBytes = 4096 }, CancellationToken.None);

        Assert.Equal("Message is larger than the 4 KB limit", result.QuarantineReason);
        Assert.True(stream.BytesRead <= 4096 + 81920);
    }

    [Fact]
    public void Parse_UnseekableStreamWithinTheLimit_IsParsed()
    {
        using var stream = new ForwardOnlyStream(Encoding.ASCII.GetBytes("From: a@example.com\nSubject: small\n\nHello\n"));

        var result = MailParser.Parse(stream, MailParserLimits.Default, CancellationToken.None);

        Assert.Equal("small", result.Mail?.Subject);
    }

    [Fact]
    public void Parse_HugeHeaderSection_IsQuarantined()
    {
        var raw = new StringBuilder("From: a@example.com\nTo: b@example.org\n");
        for (var i = 0; raw.Length < 300 * 1024; i++)
        {
            raw.Append("X-Filler-").Append(i).Append(": ").Append('y', 200).Append('\n');
        }

        raw.Append("Subject: huge\n\nbody\n");

        Assert.Equal("Header section exceeds 256 KB", TestMail.Parse(raw.ToString()).QuarantineReason);
    }

    [Fact]
    public void Parse_HeaderWithoutEnd_IsQuarantined()
    {
        var raw = "From: a@example.com\nX-Long: " + new string('y', 300 * 1024);

        Assert.Equal("Header section exceeds 256 KB", TestMail.Parse(raw).QuarantineReason);
    }

    [Fact]
    public void Parse_ThousandsOfRecipients_IsQuarantined()
    {
        var recipients = string.Join(",\n ", Enumerable.Range(0, 2000).Select(i => $"user{i}@example.com"));
        var raw = $"From: a@example.com\nTo: {recipients}\nSubject: hello all\n\nbody\n";

        Assert.Equal("More than 1000 recipients", TestMail.Parse(raw).QuarantineReason);
    }

    [Fact]
    public void Parse_DeeplyNestedMultiparts_IsQuarantined()
    {
        const int depth = 10_000;
        var raw = new StringBuilder("From: a@example.com\nSubject: bomb\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n");
        for (var i = 1; i < depth; i++)
        {
            raw.Append("--b").Append(i - 1).Append("\nContent-Type: multipart/mixed; boundary=b").Append(i).Append("\n\n");
        }

        raw.Append("--b").Append(depth - 1).Append("\nContent-Type: text/plain\n\nboom\n");
        for (var i = depth - 1; i >= 0; i--)
        {
            raw.Append("--b").Append(i).Append("--\n");
        }

        Assert.Equal("MIME nesting deeper than 20 levels", TestMail.Parse(raw.ToString()).QuarantineReason);
    }

    [Fact]
    public void Parse_TenThousandParts_IsQuarantined()
    {
        var raw = new StringBuilder("From: a@example.com\nSubject: parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n");
        for (var i = 0; i < 10_000; i++)
        {
            raw.Append("--XX\nContent-Type: text/plain\n\npart ").Append(i).Append('\n');
        }

        raw.Append("--XX--\n");

        Assert.Equal("More than 500 MIME parts", TestMail.Parse(raw.ToString()).QuarantineReason);
    }

    [Fact]
    public void Parse_DeeplyNestedHtml_IsShownAsText()
    {
        // 100,000 nested elements: a DOM parser spends minutes on this; the guard reads it as text.
        var html = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep inside";
        var message = TestMail.Customer();
        message.Body = new MimeKit.TextPart("html") { Text = html };

        var mail = TestMail.ParseMail(message);

        Assert.Null(mail.Html);
        Assert.Equal("deep inside", mail.Text);
    }

    [Fact]
    public void Parse_NestedAttachedMessages_CountTowardsTheDepth()
    {
        var raw = "From: a@example.com\nSubject: inner\n\nbody\n";
        for (var i = 0; i < 30; i++)
        {
            raw = $"From: a@example.com\nSubject: level {i}\nMIME-Version: 1.0\nContent-Type: message/rfc822\n\n{raw}";
        }

        Assert.Equal("MIME nesting deeper than 20 levels", TestMail.Parse(raw).QuarantineReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world, this is not a mail")]
    [InlineData("\n\n\n")]
    public void Parse_NotAnEmail_IsQuarantined(string raw)
    {
        Assert.Equal("Not a parseable email message", TestMail.Parse(raw).QuarantineReason);
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrow()
    {
        var random = new Random(20_241_128);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 4096)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                // Half of them look like a message at first.
                bytes = [.. "From: a@example.com\nContent-Type: multipart/mixed; boundary=\"\"\n\n"u8, .. bytes];
            }

            var result = TestMail.Parse(bytes);

            Assert.True(result.IsQuarantined || result.Mail is not null);
        }
    }

    [Fact]
    public void Parse_AfterAQuarantinedMessage_TheNextMessageIsParsed()
    {
        Assert.True(TestMail.Parse(new string('x', 300 * 1024)).IsQuarantined);

        Assert.Equal("Printer is broken", TestMail.ParseMail(TestMail.Customer()).Subject);
    }

    [Fact]
    public void Parse_ConfiguredLimits_AreApplied()
    {
        var limits = new MailParserLimits { MaxRecipients = 2, MaxMimeParts = 3, MaxMimeDepth = 2 };
        var raw = "From: a@example.com\nTo: b@example.org, c@example.org, d@example.org\nSubject: x\n\nbody\n";

        Assert.Equal("More than 2 recipients", TestMail.Parse(raw, limits).QuarantineReason);
    }

    [Fact]
    public void Parse_CancelledToken_Throws()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("From: a@example.com\n\nbody\n"));

        Assert.ThrowsAny<OperationCanceledException>(() => MailParser.Parse(stream, MailParserLimits.Default, new CancellationToken(canceled: true)));
    }

    /// <summary>Claims a length but fails if anything is read from it.</summary>
    private sealed class UnreadableStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("The parser read an oversized message.");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A network-like stream: no length, no seeking; counts what was read.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
