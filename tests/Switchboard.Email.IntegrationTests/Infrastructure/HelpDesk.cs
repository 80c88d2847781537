using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>What an administrator does through the REST API in these tests. Each test works in its own department.</summary>
public sealed class HelpDesk(HttpClient admin)
{
    public async Task<long> CreateDepartmentAsync() =>
        (await admin.PostAsJsonAsync("/api/v1/departments", new { name = "Mail " + Guid.NewGuid().ToString("N")[..12] })
            .ShouldBeAsync(HttpStatusCode.Created)).Id();

    /// <summary>An SLA policy for one department, with first and next response targets.</summary>
    public async Task CreateSlaPolicyAsync(long departmentId) =>
        await admin.PostAsJsonAsync("/api/v1/sla/policies", new
        {
            name = "Mail " + Guid.NewGuid().ToString("N")[..12],
            position = -1,
            conditions = new { departmentIds = new[] { departmentId } },
            firstResponseMinutes = 60,
            nextResponseMinutes = 240,
        }).ShouldBeAsync(HttpStatusCode.Created);

    /// <summary>A mailbox fetched by IMAP from the test server as <paramref name="user"/>; replies go out through the SMTP server on <paramref name="outboundPort"/>.</summary>
    public Task<JsonElement> CreateImapMailboxAsync(
        string user, long departmentId, string? address = null, int? outboundPort = null, bool autoAcknowledge = false, string folder = "INBOX")
    {
        var server = TestMailServer.Current;
        return CreateMailboxAsync(
            address ?? NewAddress(), departmentId,
            new { type = "imap", host = server.Host, port = server.ImapPort, security = "none", username = user, password = server.Password, folder },
            outboundPort, autoAcknowledge);
    }

    /// <summary>A mailbox fetched by POP3 from the test server as <paramref name="user"/>.</summary>
    public Task<JsonElement> CreatePop3MailboxAsync(string user, long departmentId, string? address = null)
    {
        var server = TestMailServer.Current;
        return CreateMailboxAsync(
            address ?? NewAddress(), departmentId,
            new { type = "pop3", host = server.Host, port = server.Pop3Port, security = "none", username = user, password = server.Password },
            null, false);
    }

    /// <summary>A mailbox that receives through the host's own SMTP listener (or the ingest-mail pipe).</summary>
    public Task<JsonElement> CreateSmtpMailboxAsync(long departmentId, int? outboundPort = null, bool autoAcknowledge = false) =>
        CreateMailboxAsync(NewAddress(), departmentId, new { type = "smtp" }, outboundPort, autoAcknowledge);

    /// <summary>A mailbox fetched by IMAP with a password the server refuses.</summary>
    public Task<JsonElement> CreateImapMailboxWithPasswordAsync(string user, long departmentId, string address, string password)
    {
        var server = TestMailServer.Current;
        return CreateMailboxAsync(
            address, departmentId,
            new { type = "imap", host = server.Host, port = server.ImapPort, security = "none", username = user, password },
            null, false);
    }

    public async Task<JsonElement> CreateMailboxAsync(string address, long departmentId, object inbound, int? outboundPort, bool autoAcknowledge)
    {
        var outbound = outboundPort is { } port ? new { host = "127.0.0.1", port, security = "none" } : null;
        return await admin.PostAsJsonAsync("/api/v1/mailboxes", new { address, name = "Support", departmentId, inbound, outbound, autoAcknowledge })
            .ShouldBeAsync(HttpStatusCode.Created);
    }

    public async Task<JsonElement> MailboxAsync(long id) =>
        await admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/mailboxes/{id}")).ShouldBeAsync(HttpStatusCode.OK);

    /// <summary>The tickets of a department, oldest first.</summary>
    public async Task<List<JsonElement>> TicketsAsync(long departmentId) =>
        (await admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets?departmentId={departmentId}&sort=createdAt&limit=100"))
            .ShouldBeAsync(HttpStatusCode.OK)).Items();

    public Task<List<JsonElement>> WaitForTicketsAsync(long departmentId, int count, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => TicketsAsync(departmentId), t => t.Count >= count, $"{count} ticket(s) in department {departmentId}", timeout);

    public async Task<JsonElement> TicketAsync(long id) =>
        await admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{id}")).ShouldBeAsync(HttpStatusCode.OK);

    public async Task<List<JsonElement>> MessagesAsync(long ticketId) =>
        (await admin.GetAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{ticketId}/messages")).ShouldBeAsync(HttpStatusCode.OK)).Items();

    /// <summary>An agent's public reply, which goes out by mail on an email ticket.</summary>
    public async Task<JsonElement> ReplyAsync(long ticketId, string body, params long[] attachmentIds) =>
        await admin.PostAsJsonAsync(
                string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{ticketId}/messages"),
                new { body, kind = "reply", attachmentIds })
            .ShouldBeAsync(HttpStatusCode.Created);

    /// <summary>Uploads a file to attach to a reply; returns its id.</summary>
    public async Task<long> UploadAsync(string fileName, byte[] content, string mediaType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        form.Add(file, "file", fileName);
        return (await admin.PostAsync("/api/v1/attachments", form).ShouldBeAsync(HttpStatusCode.Created)).Id();
    }

    public async Task<JsonElement> UpdateMailboxAsync(long id, object changes) =>
        await admin.PatchAsJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/mailboxes/{id}"), changes).ShouldBeAsync(HttpStatusCode.OK);

    /// <summary>Merges <paramref name="sourceId"/> into <paramref name="targetId"/>.</summary>
    public async Task<JsonElement> MergeAsync(long targetId, long sourceId) =>
        await admin.PostAsJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{targetId}/merge"), new { sourceTicketId = sourceId })
            .ShouldBeAsync(HttpStatusCode.OK);

    public async Task<JsonElement> SetStatusAsync(long ticketId, string status) =>
        await admin.PatchAsJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tickets/{ticketId}"), new { status })
            .ShouldBeAsync(HttpStatusCode.OK);

    /// <summary>Waits until the message's delivery status (queued, sent, failed) is <paramref name="status"/>.</summary>
    public Task<JsonElement> WaitForDeliveryAsync(long ticketId, long messageId, string status, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(
            async () => (await MessagesAsync(ticketId)).Single(m => m.Id() == messageId),
            m => m.StrOrNull("deliveryStatus") == status,
            $"message {messageId} to be {status}",
            timeout);

    /// <summary>Everything in the quarantine (newest first), across pages.</summary>
    public async Task<List<JsonElement>> QuarantineAsync()
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await admin.GetAsync("/api/v1/mail/quarantine" + (cursor is null ? "" : "?cursor=" + cursor)).ShouldBeAsync(HttpStatusCode.OK);
            all.AddRange(page.Items());
            cursor = page.StrOrNull("nextCursor");
        }
        while (cursor is not null);
        return all;
    }

    public static string NewAddress(string prefix = "support") => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}@desk.test";
}
