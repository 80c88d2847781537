using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>Writes mail into the durable outbox; <see cref="OutboxWorker"/> sends it.</summary>
internal static class Outbox
{
    public static OutboundMail Enqueue(
        SwitchboardDb db, MessageIds ids, Mailbox mailbox, long? ticketId, OutboundMailKind kind,
        string to, string? cc, string subject, string text, string? html,
        string? inReplyTo, string? references, string? attachmentIds, DateTimeOffset now, EmailOptions options)
    {
        var mail = new OutboundMail
        {
            MailboxId = mailbox.Id,
            TicketId = ticketId,
            Kind = kind,
            MessageIdHeader = ids.Create(ticketId ?? 0, options.MessageIdDomain ?? DomainOf(mailbox.Address)),
            InReplyTo = inReplyTo,
            References = references,
            ToAddresses = to,
            CcAddresses = cc,
            Subject = subject.Length > 1000 ? subject[..1000] : subject,
            BodyText = text,
            BodyHtml = html,
            AttachmentIds = attachmentIds,
            Status = OutboundMailStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.OutboundMails.Add(mail);
        return mail;
    }

    /// <summary>"Re: subject [#123]", without piling up prefixes or tags.</summary>
    public static string ReplySubject(string subject, long ticketId) =>
        $"Re: {WithoutReplyPrefix(MailThreader.StripTag(subject))} {MailThreader.Tag(ticketId)}";

    /// <summary>The subject without leading "Re:" / "AW:" prefixes.</summary>
    public static string WithoutReplyPrefix(string subject)
    {
        var clean = subject.Trim();
        while (clean.StartsWith("re:", StringComparison.OrdinalIgnoreCase) || clean.StartsWith("aw:", StringComparison.OrdinalIgnoreCase))
        {
            clean = clean[3..].TrimStart();
        }
        return clean;
    }

    public static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at >= 0 && at < address.Length - 1 ? address[(at + 1)..] : "switchboard.invalid";
    }

    /// <summary>The mailbox a ticket's mail goes out from: the one it came in through, else its department's, else any.</summary>
    public static async Task<Mailbox?> MailboxForAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct)
    {
        var inboundMailbox = await db.InboundMails.AsNoTracking()
            .Where(m => m.TicketId == ticket.Id)
            .OrderByDescending(m => m.Id)
            .Select(m => (long?)m.MailboxId)
            .FirstOrDefaultAsync(ct);
        var active = db.Mailboxes.AsNoTracking().Where(m => m.IsActive && m.OutboundHost != null);
        return (inboundMailbox is { } id ? await active.FirstOrDefaultAsync(m => m.Id == id, ct) : null)
            ?? (ticket.DepartmentId is { } dept ? await active.OrderBy(m => m.Id).FirstOrDefaultAsync(m => m.DepartmentId == dept, ct) : null)
            ?? await active.OrderBy(m => m.Id).FirstOrDefaultAsync(ct);
    }

    public static string IdList(IEnumerable<long> ids) => string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
