using MimeKit;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

public sealed class MailHtmlSanitizerTests
{
    [Fact]
    public void Sanitize_Script_IsRemovedWithItsContent()
    {
        var result = MailHtmlSanitizer.Sanitize("<p>Hello</p><script>alert('x')</script><noscript>no</noscript>");

        Assert.Equal("<p>Hello</p>", result.Html);
    }

    [Fact]
    public void Sanitize_EventHandlers_AreRemoved()
    {
        var result = MailHtmlSanitizer.Sanitize("<p onclick=\"steal()\" onmouseover=\"x()\">Hi<img src=\"cid:logo\" onerror=\"steal()\"></p>");

        Assert.DoesNotContain("on", result.Html.Replace("cid:logo", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("src=\"cid:logo\"", result.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    public void Sanitize_DangerousLink_LosesItsTarget(string href)
    {
        var result = MailHtmlSanitizer.Sanitize($"<a href=\"{href}\">click</a>");

        Assert.Equal("<a>click</a>", result.Html);
    }

    [Fact]
    public void Sanitize_Link_OpensInANewTabWithoutReferrer()
    {
        var result = MailHtmlSanitizer.Sanitize("<a href=\"https://example.com/faq\">FAQ</a>");

        Assert.Equal("<a href=\"https://example.com/faq\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">FAQ</a>", result.Html);
    }

    [Fact]
    public void Sanitize_RemoteImage_IsParkedAndReported()
    {
        var result = MailHtmlSanitizer.Sanitize("<p><img src=\"https://tracker.example.com/pixel.gif\" alt=\"logo\"></p>");

        Assert.True(result.HasRemoteContent);
        Assert.Equal("<p><img alt=\"logo\" data-remote-src=\"https://tracker.example.com/pixel.gif\"></p>", result.Html);
    }

    [Fact]
    public void Sanitize_InlineImage_KeepsItsCidAndIsNotRemote()
    {
        var result = MailHtmlSanitizer.Sanitize("<img src=\"cid:image001.png@01D3\">");

        Assert.False(result.HasRemoteContent);
        Assert.Equal("<img src=\"cid:image001.png@01D3\">", result.Html);
    }

    [Theory]
    [InlineData("<img src=\"data:image/png;base64,iVBORw0KGgo=\">")]
    [InlineData("<img src=\"/api/v1/tickets/1/close\">")]
    public void Sanitize_DataOrRelativeImage_LosesItsSource(string html)
    {
        Assert.Equal("<img>", MailHtmlSanitizer.Sanitize(html).Html);
    }

    [Fact]
    public void Sanitize_CssUrl_IsRemovedAndReported()
    {
        var result = MailHtmlSanitizer.Sanitize("<div style=\"color: red; background-image: url('https://example.com/bg.png')\">x</div>");

        Assert.True(result.HasRemoteContent);
        Assert.DoesNotContain("url(", result.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("color", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_RemoteStylesheetAndBackground_AreRemovedAndReported()
    {
        var result = MailHtmlSanitizer.Sanitize("<link rel=\"stylesheet\" href=\"https://example.com/a.css\"><table background=\"http://example.com/bg.png\"><tr><td>x</td></tr></table>");

        Assert.True(result.HasRemoteContent);
        Assert.DoesNotContain("example.com", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_FormsAndFrames_AreRemoved()
    {
        var result = MailHtmlSanitizer.Sanitize("<form action=\"https://evil.example\"><input name=\"password\">Log in</form><iframe src=\"https://evil.example\"></iframe>");

        Assert.Equal("Log in", result.Html);
    }

    [Fact]
    public void Parse_HtmlMailWithRemoteImage_ReportsRemoteContent()
    {
        var message = TestMail.Customer();
        var builder = new BodyBuilder
        {
            TextBody = "Hello",
            HtmlBody = "<p>Hello<img src=\"http://tracker.example.com/open.gif\"></p><script>alert(1)</script>",
        };
        message.Body = builder.ToMessageBody();

        var mail = TestMail.ParseMail(message);

        Assert.True(mail.HasRemoteContent);
        Assert.Equal("<p>Hello<img data-remote-src=\"http://tracker.example.com/open.gif\"></p>", mail.Html);
        Assert.Equal("Hello", mail.Text);
    }
}
