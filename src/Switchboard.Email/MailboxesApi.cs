using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;
using Switchboard.Tickets;

namespace Switchboard.Email;

public sealed record InboundSettings(string? Type, string? Host, int? Port, string? Security, string? Username, string? Password, string? Folder);

public sealed record OutboundSettings(string? Host, int? Port, string? Security, string? Username, string? Password);

/// <summary>
/// A mailbox to create, or the changes to one. A password left out (null) keeps the stored one;
/// <paramref name="ClearDepartment"/> detaches the mailbox from its department.
/// </summary>
public sealed record MailboxRequest(
    string? Address, string? Name, long? DepartmentId, InboundSettings? Inbound, OutboundSettings? Outbound,
    bool? AutoAcknowledge, string? AcknowledgeTemplate, string? Signature, bool? IsActive, bool? ClearDepartment = null);

public sealed record InboundSettingsDto(MailInboundType Type, string? Host, int? Port, MailSecurity Security, string? Username, bool HasPassword, string Folder);

public sealed record OutboundSettingsDto(string? Host, int? Port, MailSecurity Security, string? Username, bool HasPassword);

/// <summary>A mailbox as the API shows it: passwords never leave the server, only whether one is set.</summary>
public sealed record MailboxDto(
    long Id, string Address, string Name, long? DepartmentId, bool IsActive, InboundSettingsDto Inbound, OutboundSettingsDto Outbound,
    bool AutoAcknowledge, string? AcknowledgeTemplate, string? Signature, DateTimeOffset? LastFetchAt, string? LastError, DateTimeOffset CreatedAt);

public sealed record QuarantinedMailDto(long Id, long MailboxId, string Source, string? From, string? Subject, string? Reason, long Size, DateTimeOffset ReceivedAt, string RawUrl);

internal static class MailboxesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var mailboxes = api.MapGroup("/mailboxes").WithTags("Email").RequireAuthorization(Policies.Admin);
        mailboxes.MapGet("/", ListAsync);
        mailboxes.MapGet("/{id:long}", GetAsync);
        mailboxes.MapPost("/", CreateAsync).WithSummary("Add a mailbox: where mail comes in (smtp, imap, pop3) and the SMTP server replies go out through.");
        mailboxes.MapPatch("/{id:long}", UpdateAsync);
        mailboxes.MapDelete("/{id:long}", DeleteAsync);

        var mail = api.MapGroup("/mail").WithTags("Email").RequireAuthorization(Policies.Admin);
        mail.MapGet("/quarantine", QuarantineAsync).WithSummary("Inbound mail that could not become a ticket entry, with the reason.");
        mail.MapGet("/inbound/{id:long}/raw", RawAsync).WithSummary("The raw message as received (message/rfc822, as an attachment).");
    }

    private static MailboxDto ToDto(Mailbox m) => new(
        m.Id, m.Address, m.Name, m.DepartmentId, m.IsActive,
        new InboundSettingsDto(m.InboundType, m.InboundHost, m.InboundPort, m.InboundSecurity, m.InboundUsername, m.InboundPasswordProtected is not null, m.InboundFolder),
        new OutboundSettingsDto(m.OutboundHost, m.OutboundPort, m.OutboundSecurity, m.OutboundUsername, m.OutboundPasswordProtected is not null),
        m.AutoAcknowledge, m.AcknowledgeTemplate, m.Signature, m.LastFetchAt, m.LastError, m.CreatedAt);

    private static async Task<Ok<ItemsDto<MailboxDto>>> ListAsync(SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(new ItemsDto<MailboxDto>(await ListMailboxesAsync(db, ct)));

    internal static async Task<IReadOnlyList<MailboxDto>> ListMailboxesAsync(SwitchboardDb db, CancellationToken ct) =>
        (await db.Mailboxes.AsNoTracking().OrderBy(m => m.Address).ToListAsync(ct)).Select(ToDto).ToList();

    private static async Task<Ok<MailboxDto>> GetAsync(long id, SwitchboardDb db, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await db.Mailboxes.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) ?? throw ProblemException.NotFound($"Mailbox {id}")));

    private static async Task<Created<MailboxDto>> CreateAsync(MailboxRequest request, SwitchboardDb db, MailboxSecrets secrets, MailboxChanges changes, TimeProvider time, CancellationToken ct)
    {
        var created = await CreateMailboxAsync(db, secrets, changes, time, request, ct);
        return TypedResults.Created($"/api/v1/mailboxes/{created.Id}", created);
    }

    internal static async Task<MailboxDto> CreateMailboxAsync(
        SwitchboardDb db, MailboxSecrets secrets, MailboxChanges changes, TimeProvider time, MailboxRequest request, CancellationToken ct)
    {
        var address = Parse.Email(request.Address);
        if (await db.Mailboxes.AnyAsync(m => m.Address == address, ct)) throw ProblemException.Conflict($"A mailbox for {address} already exists.");
        var mailbox = new Mailbox { Address = address, Name = string.IsNullOrWhiteSpace(request.Name) ? address : request.Name.Trim(), CreatedAt = time.GetUtcNow() };
        await ApplyAsync(db, secrets, mailbox, request, ct);
        db.Mailboxes.Add(mailbox);
        await db.SaveChangesAsync(ct);
        changes.Notify();
        return ToDto(mailbox);
    }

    private static async Task<Ok<MailboxDto>> UpdateAsync(long id, MailboxRequest request, SwitchboardDb db, MailboxSecrets secrets, MailboxChanges changes, CancellationToken ct) =>
        TypedResults.Ok(await UpdateMailboxAsync(db, secrets, changes, id, request, ct));

    internal static async Task<MailboxDto> UpdateMailboxAsync(
        SwitchboardDb db, MailboxSecrets secrets, MailboxChanges changes, long id, MailboxRequest request, CancellationToken ct)
    {
        var mailbox = await db.Mailboxes.FirstOrDefaultAsync(m => m.Id == id, ct) ?? throw ProblemException.NotFound($"Mailbox {id}");
        if (request.Address is not null)
        {
            var address = Parse.Email(request.Address);
            if (await db.Mailboxes.AnyAsync(m => m.Address == address && m.Id != id, ct)) throw ProblemException.Conflict($"A mailbox for {address} already exists.");
            mailbox.Address = address;
        }
        if (request.Name is not null) mailbox.Name = request.Name.Trim().Length > 0 ? request.Name.Trim() : mailbox.Address;
        await ApplyAsync(db, secrets, mailbox, request, ct);
        await db.SaveChangesAsync(ct);
        changes.Notify();
        return ToDto(mailbox);
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, MailboxChanges changes, CancellationToken ct)
    {
        await DeleteMailboxAsync(db, changes, id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task DeleteMailboxAsync(SwitchboardDb db, MailboxChanges changes, long id, CancellationToken ct)
    {
        var deleted = await db.Mailboxes.Where(m => m.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw ProblemException.NotFound($"Mailbox {id}");
        changes.Notify();
    }

    private static async Task ApplyAsync(SwitchboardDb db, MailboxSecrets secrets, Mailbox mailbox, MailboxRequest request, CancellationToken ct)
    {
        if (request.DepartmentId is { } dept)
        {
            if (!await db.Departments.AnyAsync(d => d.Id == dept, ct)) throw ProblemException.Invalid("departmentId", $"Department {dept} does not exist.");
            mailbox.DepartmentId = dept;
        }
        else if (request.ClearDepartment == true)
        {
            mailbox.DepartmentId = null;
        }
        if (request.IsActive is { } active) mailbox.IsActive = active;
        if (request.AutoAcknowledge is { } ack) mailbox.AutoAcknowledge = ack;
        if (request.AcknowledgeTemplate is not null) mailbox.AcknowledgeTemplate = request.AcknowledgeTemplate.Length == 0 ? null : request.AcknowledgeTemplate;
        if (request.Signature is not null) mailbox.Signature = request.Signature.Length == 0 ? null : request.Signature;

        if (request.Inbound is { } inbound)
        {
            var source = (mailbox.InboundType, mailbox.InboundHost, mailbox.InboundPort, mailbox.InboundUsername, mailbox.InboundFolder);
            mailbox.InboundType = Parse.Enum<MailInboundType>(inbound.Type ?? "none", "inbound.type");
            if (mailbox.InboundType is MailInboundType.Imap or MailInboundType.Pop3)
            {
                mailbox.InboundHost = Host(inbound.Host, "inbound.host");
                mailbox.InboundSecurity = Parse.Enum<MailSecurity>(inbound.Security ?? "ssl", "inbound.security");
                mailbox.InboundPort = Port(inbound.Port, "inbound.port") ?? DefaultPort(mailbox.InboundType, mailbox.InboundSecurity);
                mailbox.InboundUsername = string.IsNullOrWhiteSpace(inbound.Username) ? throw ProblemException.Invalid("inbound.username", "IMAP and POP3 need a username.") : inbound.Username.Trim();
                if (inbound.Password is not null) mailbox.InboundPasswordProtected = secrets.Protect(inbound.Password);
                mailbox.InboundFolder = string.IsNullOrWhiteSpace(inbound.Folder) ? "INBOX" : inbound.Folder.Trim();
                if (mailbox.InboundPasswordProtected is null) throw ProblemException.Invalid("inbound.password", "IMAP and POP3 need a password.");
            }
            // A new server, account or folder means new UIDs; saving the same settings again keeps the place.
            if (source != (mailbox.InboundType, mailbox.InboundHost, mailbox.InboundPort, mailbox.InboundUsername, mailbox.InboundFolder))
            {
                mailbox.ImapUidValidity = null;
                mailbox.ImapLastUid = null;
            }
        }
        if (request.Outbound is { } outbound)
        {
            mailbox.OutboundHost = Host(outbound.Host, "outbound.host");
            mailbox.OutboundSecurity = Parse.Enum<MailSecurity>(outbound.Security ?? "starttls", "outbound.security");
            mailbox.OutboundPort = Port(outbound.Port, "outbound.port") ?? (mailbox.OutboundSecurity == MailSecurity.Ssl ? 465 : 587);
            mailbox.OutboundUsername = string.IsNullOrWhiteSpace(outbound.Username) ? null : outbound.Username.Trim();
            if (outbound.Password is not null) mailbox.OutboundPasswordProtected = secrets.Protect(outbound.Password);
        }
    }

    private static int DefaultPort(MailInboundType type, MailSecurity security) => (type, security) switch
    {
        (MailInboundType.Imap, MailSecurity.Ssl) => 993,
        (MailInboundType.Imap, _) => 143,
        (_, MailSecurity.Ssl) => 995,
        _ => 110,
    };

    private static string Host(string? host, string field)
    {
        var trimmed = host?.Trim() ?? "";
        if (trimmed.Length is 0 or > 253 || Uri.CheckHostName(trimmed) == UriHostNameType.Unknown)
        {
            throw ProblemException.Invalid(field, $"'{trimmed}' is not a host name or IP address.");
        }
        return trimmed;
    }

    private static int? Port(int? port, string field) =>
        port is null or (>= 1 and <= 65535) ? port : throw ProblemException.Invalid(field, "The port must be between 1 and 65535.");

    private static async Task<Ok<PageDto<QuarantinedMailDto>>> QuarantineAsync(long? cursor, SwitchboardDb db, CancellationToken ct)
    {
        var query = db.InboundMails.AsNoTracking().Where(m => m.Status == InboundMailStatus.Quarantined);
        if (cursor is { } after) query = query.Where(m => m.Id < after);
        var page = await query.OrderByDescending(m => m.Id).Take(51)
            .Select(m => new QuarantinedMailDto(m.Id, m.MailboxId, m.Source, m.FromAddress, m.Subject, m.Reason, m.RawSize, m.ReceivedAt, $"/api/v1/mail/inbound/{m.Id}/raw"))
            .ToListAsync(ct);
        string? next = null;
        if (page.Count > 50)
        {
            page.RemoveAt(50);
            next = page[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(new PageDto<QuarantinedMailDto>(page, next));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> RawAsync(long id, HttpContext http, SwitchboardDb db, IAttachmentStore store, CancellationToken ct)
    {
        var mail = await db.InboundMails.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) ?? throw ProblemException.NotFound($"Inbound mail {id}");
        if (mail.RawSha256.All(c => c == '0'))
        {
            return TypedResults.Problem("The message was larger than the size limit and was left on the mail server.", statusCode: 410, title: "Not stored");
        }
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.File(store.OpenRead(mail.RawSha256), "application/octet-stream", $"message-{id}.eml");
    }
}

/// <summary>Tells the fetch worker that mailboxes changed, so it starts or stops watching them now.</summary>
public sealed class MailboxChanges
{
    public event Action? Changed;

    public void Notify() => Changed?.Invoke();
}
