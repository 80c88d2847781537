using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>Uploading files, attaching them to messages and downloading them safely.</summary>
public abstract class AttachmentsApiTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task Upload_File_ReturnsIdSizeAndSha256()
    {
        var content = Encoding.UTF8.GetBytes("Order #4411, 2 items" + Guid.NewGuid());

        var uploaded = await UploadAsync(content, "order.csv", "text/csv");

        Assert.True(uploaded.Id() > 0);
        Assert.Equal("order.csv", uploaded.Str("fileName"));
        Assert.Equal(content.Length, uploaded.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), uploaded.Str("sha256"));
        Assert.Equal($"/api/v1/attachments/{uploaded.Id()}/content", uploaded.Str("url"));
    }

    [Fact]
    public async Task Upload_WithoutFileField_Returns400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "note" } };

        var problem = await Admin.PostAsync("/api/v1/attachments", form).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Send the file in a multipart field named 'file'.", problem.Detail());
    }

    [Fact]
    public async Task Upload_MalformedMultipartBody_Returns400()
    {
        using var content = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nno closing boundary", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        await Admin.PostAsync("/api/v1/attachments", content).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Upload_PathInFileName_KeepsOnlyTheName()
    {
        var uploaded = await UploadAsync("x"u8.ToArray(), "..\\..\\etc/passwd", "text/plain");

        Assert.Equal("passwd", uploaded.Str("fileName"));
    }

    [Fact]
    public async Task Reply_WithUploadedFile_ListsItOnTheMessage()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        var uploaded = await UploadAsync(Encoding.UTF8.GetBytes("invoice " + Guid.NewGuid()), "invoice.pdf", "application/pdf");

        var message = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Here is your invoice.", attachmentIds = new[] { uploaded.Id() } })
            .ShouldBeAsync(HttpStatusCode.Created);

        Assert.Equal([uploaded.Id()], message.GetProperty("attachments").EnumerateArray().Select(a => a.Id()));
        var listed = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Single(m => m.Id() == message.Id());
        Assert.Equal("invoice.pdf", listed.GetProperty("attachments")[0].Str("fileName"));
    }

    [Fact]
    public async Task CreateTicket_WithUploadedFile_AttachesItToTheFirstMessage()
    {
        var uploaded = await UploadAsync(Encoding.UTF8.GetBytes("screenshot " + Guid.NewGuid()), "screen.png", "image/png");
        var request = TicketRequest(Unique("t"));
        request["message"] = new { body = "See the screenshot.", attachmentIds = new[] { uploaded.Id() } };

        var ticket = await CreateTicketAsync(request);

        var first = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Single();
        Assert.Equal([uploaded.Id()], first.GetProperty("attachments").EnumerateArray().Select(a => a.Id()));
    }

    [Fact]
    public async Task Reply_WithFileAlreadyOnAMessage_Returns400()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        var uploaded = await UploadAsync(Encoding.UTF8.GetBytes("once " + Guid.NewGuid()), "once.txt", "text/plain");
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "First", attachmentIds = new[] { uploaded.Id() } })
            .ShouldBeAsync(HttpStatusCode.Created);

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Again", attachmentIds = new[] { uploaded.Id() } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains($"Attachment {uploaded.Id()}", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_WithSomeoneElsesUpload_Returns400()
    {
        var agent = await CreateAgentAsync();
        var ticket = await CreateTicketAsync(Unique("t"));
        var theirs = await UploadAsync(Encoding.UTF8.GetBytes("theirs " + Guid.NewGuid()), "theirs.txt", "text/plain", agent.Client);

        var problem = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Taking it", attachmentIds = new[] { theirs.Id() } })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal($"Attachment {theirs.Id()} does not exist, is not yours or is already on a message.", problem.Detail());
    }

    [Fact]
    public async Task Download_HtmlFile_IsSentAsAnAttachmentNeverAsHtml()
    {
        var html = Encoding.UTF8.GetBytes("<html><script>alert(document.cookie)</script>" + Guid.NewGuid() + "</html>");
        var uploaded = await UploadAsync(html, "page.html", "text/html");

        using var response = await Admin.GetAsync($"/api/v1/attachments/{uploaded.Id()}/content");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("page.html", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(html, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Download_Image_KeepsItsType()
    {
        var png = Encoding.UTF8.GetBytes("\u0089PNG fake " + Guid.NewGuid());
        var uploaded = await UploadAsync(png, "photo.png", "image/png");

        using var response = await Admin.GetAsync($"/api/v1/attachments/{uploaded.Id()}/content");

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task Upload_SameContentTwice_IsStoredOnce()
    {
        var content = Encoding.UTF8.GetBytes("the same bytes " + Guid.NewGuid());

        var first = await UploadAsync(content, "a.txt", "text/plain");
        var second = await UploadAsync(content, "b.txt", "text/plain");

        Assert.NotEqual(first.Id(), second.Id());
        Assert.Equal(first.Str("sha256"), second.Str("sha256"));
        var sha = first.Str("sha256");
        var stored = Directory.GetFiles(Factory.DataDirectory, sha, SearchOption.AllDirectories);
        Assert.Single(stored);
        using var download = await Admin.GetAsync($"/api/v1/attachments/{second.Id()}/content");
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("b.txt", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(300_000)]
    public async Task Upload_OverTheConfiguredLimit_Returns413(int size)
    {
        await using var limited = Factory.WithWebHostBuilder(b => b.UseSetting("Switchboard:Attachments:MaxBytes", "4096"));
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = Admin.DefaultRequestHeaders.Authorization;

        var problem = await UploadRawAsync(client, new byte[size], "big.bin", "application/octet-stream")
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("File too large", problem.Str("title"));
        Assert.Contains("larger than the limit", problem.Detail(), StringComparison.Ordinal);
        await UploadRawAsync(client, new byte[4096], "fits.bin", "application/octet-stream").ShouldBeAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Download_ByAgentWithoutAccessToTheTicket_Returns404()
    {
        var department = await CreateDepartmentAsync();
        var outsider = await CreateAgentAsync([await CreateDepartmentAsync()]);
        var insider = await CreateAgentAsync([department]);
        var request = TicketRequest(Unique("t"));
        request["departmentId"] = department;
        var ticket = await CreateTicketAsync(request);
        var uploaded = await UploadAsync(Encoding.UTF8.GetBytes("contract " + Guid.NewGuid()), "contract.pdf", "application/pdf");
        await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { body = "Signed contract", attachmentIds = new[] { uploaded.Id() } })
            .ShouldBeAsync(HttpStatusCode.Created);

        await outsider.Client.GetAsync($"/api/v1/attachments/{uploaded.Id()}").ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await outsider.Client.GetAsync($"/api/v1/attachments/{uploaded.Id()}/content").ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await GetAsync($"/api/v1/attachments/{uploaded.Id()}", insider.Client);
    }

    [Fact]
    public async Task Download_UnattachedUploadOfAnotherAgent_Returns404()
    {
        var agent = await CreateAgentAsync();
        var mine = await UploadAsync(Encoding.UTF8.GetBytes("draft " + Guid.NewGuid()), "draft.txt", "text/plain");

        await agent.Client.GetAsync($"/api/v1/attachments/{mine.Id()}/content").ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await GetAsync($"/api/v1/attachments/{mine.Id()}");
    }

    [Fact]
    public async Task Message_HtmlWithScriptsHandlersAndJavascriptUrls_IsStoredWithoutThem()
    {
        var ticket = await CreateTicketAsync(Unique("t"));
        const string html = """
            <p onclick="steal()">Hello <b>there</b></p>
            <script>alert('xss')</script>
            <img src="https://example.test/logo.png" onerror="alert(1)">
            <a href="javascript:alert(2)">click</a>
            <a href="https://example.test/help">help</a>
            <iframe src="https://evil.test"></iframe>
            """;

        var message = await Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/messages", new { html })
            .ShouldBeAsync(HttpStatusCode.Created);

        var stored = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Single(m => m.Id() == message.Id());
        var clean = stored.Str("bodyHtml");
        Assert.DoesNotContain("<script", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", clean, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", clean, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<b>there</b>", clean, StringComparison.Ordinal);
        Assert.Contains("https://example.test/help", clean, StringComparison.Ordinal);
        Assert.Contains("Hello there", stored.Str("bodyText"), StringComparison.Ordinal);
        Assert.DoesNotContain("alert", stored.Str("bodyText"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateTicket_HtmlFirstMessage_IsSanitized()
    {
        var request = TicketRequest(Unique("t"));
        request["message"] = new { html = "<div>Need help<script>fetch('/steal')</script><img src=x onerror=alert(1)></div>" };

        var ticket = await CreateTicketAsync(request);

        var first = (await GetAsync($"/api/v1/tickets/{ticket.Id()}/messages")).Items().Single();
        Assert.DoesNotContain("script", first.Str("bodyHtml"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", first.Str("bodyHtml"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Need help", first.Str("bodyText"));
    }

    private Task<JsonElement> UploadAsync(byte[] content, string fileName, string contentType, HttpClient? client = null) =>
        UploadRawAsync(client ?? Admin, content, fileName, contentType).ShouldBeAsync(HttpStatusCode.Created);

    private static async Task<HttpResponseMessage> UploadRawAsync(HttpClient client, byte[] content, string fileName, string contentType)
    {
        using var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var form = new MultipartFormDataContent { { file, "file", fileName } };
        return await client.PostAsync("/api/v1/attachments", form);
    }
}

public sealed class AttachmentsApiTests_Sqlite(SqliteFactory factory) : AttachmentsApiTests(factory), IClassFixture<SqliteFactory>;

public sealed class AttachmentsApiTests_Postgres(PostgresFactory factory) : AttachmentsApiTests(factory), IClassFixture<PostgresFactory>;
