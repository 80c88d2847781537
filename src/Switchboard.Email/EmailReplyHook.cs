using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Email;

/// <summary>
/// An agent's public reply on the email channel (an email ticket's, or another channel's when the
/// agent picks email) goes out by mail: signed Message-ID, threading
/// headers to the customer's last message, the ticket tag in the subject, the department's
/// signature and the ticket's CC participants. It is queued in the reply's own transaction.
/// </summary>
internal sealed class EmailReplyHook(EmailSecrets secrets, OutboxSignal signal, IOptions<EmailOptions> options, TimeProvider time) : IAgentMessageHook
{
    public async ValueTask OnAgentMessageAsync(SwitchboardDb db, Ticket ticket, Message message, long agentId, CancellationToken ct)
    {
        if (message.Kind != MessageKind.Reply || message.Channel != Channel.Email) return;
        var mailbox = await Outbox.MailboxForAsync(db, ticket, ct);
        var to = await CustomerAddressAsync(db, ticket, ct);
        if (mailbox is null || to is null)
        {
            message.DeliveryStatus = "failed";
            message.DeliveryError = mailbox is null
                ? "Not sent: no mailbox with an outgoing server is configured."
                : "Not sent: the customer has no email address.";
            return;
        }

        var ids = await secrets.MessageIdsAsync(db, ct);
        var earlier = await db.Messages.AsNoTracking()
            .Where(m => m.TicketId == ticket.Id && m.ExternalId != null)
            .OrderByDescending(m => m.Id).Take(20)
            .Select(m => new { m.ExternalId, m.Direction })
            .ToListAsync(ct);
        var inReplyTo = earlier.FirstOrDefault(m => m.Direction == MessageDirection.Inbound)?.ExternalId ?? earlier.FirstOrDefault()?.ExternalId;
        var references = earlier.Count == 0 ? null : string.Join(" ", earlier.Select(m => "<" + m.ExternalId + ">").Reverse());
        var cc = await db.TicketParticipants.AsNoTracking().Where(p => p.TicketId == ticket.Id).Select(p => p.Email).ToListAsync(ct);

        var agent = await db.Agents.AsNoTracking().Where(a => a.Id == agentId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? "";
        var customer = await db.Contacts.AsNoTracking().Where(c => c.Id == ticket.CustomerId).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? "";
        var signature = ticket.DepartmentId is { } dept
            ? await db.Departments.AsNoTracking().Where(d => d.Id == dept).Select(d => d.Signature).FirstOrDefaultAsync(ct)
            : null;
        signature ??= mailbox.Signature;
        var values = new Dictionary<string, string>
        {
            ["agent.name"] = agent,
            ["customer.name"] = customer,
            ["ticket.number"] = ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ticket.subject"] = ticket.Subject,
            ["mailbox.name"] = mailbox.Name,
        };
        var text = message.BodyText;
        var html = message.BodyHtml ?? "<p>" + WebUtility.HtmlEncode(message.BodyText).ReplaceLineEndings("<br>") + "</p>";
        if (!string.IsNullOrWhiteSpace(signature))
        {
            text += "\n\n-- \n" + Templates.Render(signature, values);
            html += "<p>-- <br>" + Templates.Render(WebUtility.HtmlEncode(signature), values, html: true).ReplaceLineEndings("<br>") + "</p>";
        }

        var mail = Outbox.Enqueue(db, ids, mailbox, ticket.Id, OutboundMailKind.Reply, to, cc.Count == 0 ? null : string.Join(", ", cc),
            Outbox.ReplySubject(ticket.Subject, ticket.Id), text, html, inReplyTo, references,
            message.Attachments.Count == 0 ? null : Outbox.IdList(message.Attachments.Select(a => a.Id)),
            time.GetUtcNow(), options.Value);
        message.ExternalId = mail.MessageIdHeader;
        message.FromAddress = mailbox.Address;
        message.ToAddresses = to;
        message.CcAddresses = mail.CcAddresses;
        message.DeliveryStatus = "queued";
        signal.PokeAfterSave(db);
    }

    /// <summary>The customer's first email address, where replies go.</summary>
    public static Task<string?> CustomerAddressAsync(SwitchboardDb db, Ticket ticket, CancellationToken ct) =>
        db.ContactIdentities.AsNoTracking()
            .Where(i => i.ContactId == ticket.CustomerId && i.Type == IdentityType.Email)
            .OrderBy(i => i.Id).Select(i => i.Value).FirstOrDefaultAsync(ct);
}
