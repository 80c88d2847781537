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

    [Theory]
    [InlineData("width: expression(alert(1))")]
    [InlineData("width: EXPRESSION(alert(1))")]
    [InlineData("width: ex/**/pression(alert(1))")]
    [InlineData("width: ex\\70ression(alert(1))")]
    [InlineData("width: ｅｘｐｒｅｓｓｉｏｎ(alert(1))")]
    [InlineData("behavior: url(x.htc)")]
    [InlineData("-moz-binding: url(https://evil.example/x.xml#x)")]
    [InlineData("background: url(javascript:alert(1))")]
    [InlineData("background-image: u\\72l(https://evil.example/x.png)")]
    public void Sanitize_ActiveCss_IsRemoved(string declaration)
    {
        var result = MailHtmlSanitizer.Sanitize($"<p style=\"color: red; {declaration}\">x</p>");

        Assert.Equal("<p style=\"color: red\">x</p>", result.Html);
    }

    [Theory]
    [InlineData("background-image: image-set('https://tracker.example.com/a.png' 1x)")]
    [InlineData("list-style-image: url(//tracker.example.com/dot.png)")]
    [InlineData("background: URL(\"https://tracker.example.com/a.png\") no-repeat")]
    public void Sanitize_RemoteCssLoads_AreRemovedAndReported(string declaration)
    {
        var result = MailHtmlSanitizer.Sanitize($"<div style=\"{declaration.Replace("\"", "&quot;", StringComparison.Ordinal)}; padding: 4px\">x</div>");

        Assert.True(result.HasRemoteContent);
        Assert.DoesNotContain("tracker", result.Html, StringComparison.Ordinal);
        Assert.Contains("padding: 4px", result.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_InlineStyles_KeepTheMailsLayoutInEveryScript()
    {
        var result = MailHtmlSanitizer.Sanitize(
            "<div style=\"font-family: '微软雅黑', 'Segoe UI', sans-serif; color: #1f497d; font-size: 11pt; border-left: 2px solid #ccc\">你好, salamat po</div>");

        Assert.False(result.HasRemoteContent);
        Assert.Equal(
            "<div style=\"font-family: '微软雅黑', 'Segoe UI', sans-serif; color: #1f497d; font-size: 11pt; border-left: 2px solid #ccc\">你好, salamat po</div>",
            result.Html);
    }

    [Theory]
    [InlineData("position: fixed; top: 0", "top: 0")]
    [InlineData("z-index: 9999; color: blue", "color: blue")]
    [InlineData("color: red; -webkit-user-modify: read-write", "color: red")]
    [InlineData("color: red; } p { color: blue", "color: red")]
    public void Sanitize_StylesNotAllowed_AreDroppedAndTheRestKept(string style, string kept)
    {
        var result = MailHtmlSanitizer.Sanitize($"<span style=\"{style}\">x</span>");

        Assert.Equal($"<span style=\"{kept}\">x</span>", result.Html);
    }

    [Fact]
    public void Sanitize_InlineImageInCss_IsRemovedWithoutReportingRemoteContent()
    {
        var result = MailHtmlSanitizer.Sanitize("<div style=\"background-image: url(cid:bg.png@01D3); color: red\">x</div>");

        Assert.False(result.HasRemoteContent);
        Assert.Equal("<div style=\"color: red\">x</div>", result.Html);
    }

    [Fact]
    public void Sanitize_StyleOfARemovedElement_DoesNotMoveToItsContent()
    {
        var result = MailHtmlSanitizer.Sanitize("<form style=\"color: red\"><b style=\"color: blue\">x</b></form>");

        Assert.Equal("<b style=\"color: blue\">x</b>", result.Html);
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
