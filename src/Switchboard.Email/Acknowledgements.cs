using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Email.Parsing;

namespace Switchboard.Email;

/// <summary>
/// The automatic "we received your message" mail for a new ticket. Never sent in answer to
/// automatic mail (RFC 3834: auto-submitted, bulk, lists, null return path, daemons), and at most
/// a few per sender per hour, so two auto-responders cannot keep each other busy.
/// </summary>
internal static class Acknowledgements
{
    /// <summary>Queues the acknowledgement when one is due; returns whether it did.</summary>
    public static async Task<bool> QueueAsync(
        SwitchboardDb db, MessageIds ids, InboundBatch batch, Mailbox mailbox, Ticket ticket, Contact customer, ParsedMail mail,
        EmailOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (!mailbox.AutoAcknowledge || mailbox.OutboundHost is null || mail.Automatic is not null) return false;
        var to = (mail.ReplyTo ?? mail.From)!.Address.Trim().ToLowerInvariant();
        if (batch.OwnAddresses.Contains(to)) return false;
        var recent = await batch.AutoRepliesAsync(db, to, now.AddHours(-1), ct);
        if (recent >= options.AutoRepliesPerSenderPerHour) return false;

        var values = new Dictionary<string, string>
        {
            ["customer.name"] = customer.Name,
            ["ticket.number"] = ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ticket.subject"] = ticket.Subject,
            ["mailbox.name"] = mailbox.Name,
        };
        var text = Templates.Render(mailbox.AcknowledgeTemplate ?? Templates.DefaultAcknowledgement, values);
        Outbox.Enqueue(db, ids, mailbox, ticket.Id, OutboundMailKind.AutoReply, to, null,
            Outbox.ReplySubject(ticket.Subject, ticket.Id), text, null,
            mail.MessageId, mail.MessageId, null, now, options);
        batch.AutoReplyQueued(to);
        return true;
    }
}
