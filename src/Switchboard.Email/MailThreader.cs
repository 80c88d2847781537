using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Email.Parsing;

namespace Switchboard.Email;

/// <summary>Where an inbound message belongs, and why, in words shown to the agent on the message.</summary>
internal sealed record ThreadDecision(Ticket? Ticket, string Reason, Ticket? FollowUpOf = null)
{
    /// <summary>
    /// Set when the reason names a ticket opened earlier in the same batch, which gets its number only
    /// when the batch is saved: the reason is then written again with it.
    /// </summary>
    public Func<string>? ReasonOnceSaved { get; init; }
}

/// <summary>
/// Decides which ticket an inbound email joins. In order: our own signed Message-IDs in
/// In-Reply-To/References; any Message-ID stored on a ticket's messages; the ticket tag in the
/// subject, but only from the ticket's customer or a participant. A stranger's mail never joins
/// someone else's ticket by its subject alone.
/// </summary>
internal static partial class MailThreader
{
    [GeneratedRegex(@"\[#(\d{1,18})\]", RegexOptions.CultureInvariant)]
    private static partial Regex TicketTag();

    public static string Tag(long ticketId) => string.Create(CultureInfo.InvariantCulture, $"[#{ticketId}]");

    /// <summary>The subject without our ticket tags, for a new ticket's subject.</summary>
    public static string StripTag(string subject) => TicketTag().Replace(subject, "").Trim();

    /// <summary>The references a mail threads by, in the order they are tried: In-Reply-To first, then References from the newest.</summary>
    public static List<string> ReferencesOf(ParsedMail mail) =>
        mail.InReplyTo.Concat(mail.References.Reverse()).Where(r => r.Length > 0).Distinct().Take(100).ToList();

    /// <summary>The ticket number in the subject's tag, if it has one.</summary>
    public static long? TaggedTicket(string subject)
    {
        var tag = TicketTag().Match(subject);
        return tag.Success && long.TryParse(tag.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>
    /// Decides for one mail of <paramref name="batch"/>. A reply to a message taken earlier in the batch
    /// joins that message's ticket even before the ticket is saved (see <see cref="ThreadDecision.ReasonOnceSaved"/>).
    /// </summary>
    public static async Task<ThreadDecision> DecideAsync(
        SwitchboardDb db, MessageIds ids, InboundBatch batch, ParsedMail mail, Contact sender, TimeSpan reopenWindow, DateTimeOffset now, CancellationToken ct)
    {
        var references = ReferencesOf(mail);

        foreach (var reference in references)
        {
            if (ids.TicketOf(reference) is { } signedTicket && await FindAsync(db, signedTicket, ct) is { } ticket)
            {
                return Closed(ticket, $"Replies to our message <{reference}> on ticket {Tag(signedTicket)}.", reopenWindow, now);
            }
        }

        if (batch.LatestKnown(references) is { } known)
        {
            string Reason(long ticketId) => $"Refers to message <{known.ExternalId}> already on ticket {Tag(ticketId)}.";
            if (known.Taken is { Id: 0 } opened)
            {
                // Opened a moment ago by a mail of this batch: neither closed nor merged.
                return new ThreadDecision(opened, Reason(0)) { ReasonOnceSaved = () => Reason(opened.Id) };
            }
            // A ticket the batch already took was found (merges followed) when it was taken.
            if ((known.Taken ?? await FindAsync(db, known.TicketId, ct)) is { } knownTicket)
            {
                return Closed(knownTicket, Reason(knownTicket.Id), reopenWindow, now);
            }
        }

        if (TaggedTicket(mail.Subject) is { } taggedId)
        {
            var ticket = await FindAsync(db, taggedId, ct);
            if (ticket is not null)
            {
                var address = mail.From?.Address.ToLowerInvariant() ?? "";
                var isCustomer = ticket.CustomerId == sender.Id;
                var isParticipant = !isCustomer && (await batch.ParticipantsAsync(db, ticket.Id, ct)).Contains(address);
                if (isCustomer || isParticipant)
                {
                    var who = isCustomer ? "the ticket's customer" : "a participant of the ticket";
                    return Closed(ticket, $"Subject carries {Tag(taggedId)} and the sender is {who}.", reopenWindow, now);
                }
                return new ThreadDecision(null, $"Subject carries {Tag(taggedId)}, but the sender is not on that ticket, so this starts a new ticket.");
            }
        }

        return new ThreadDecision(null, references.Count > 0
            ? "Refers to no message Switchboard knows, so this starts a new ticket."
            : "A new conversation: no earlier message is referred to.");
    }

    /// <summary>A ticket closed too long ago is not reopened; the mail starts a new ticket linked to it.</summary>
    private static ThreadDecision Closed(Ticket ticket, string reason, TimeSpan reopenWindow, DateTimeOffset now)
    {
        if (ticket.Status == TicketStatus.Closed && (ticket.ResolvedAt ?? ticket.UpdatedAt) < now - reopenWindow)
        {
            return new ThreadDecision(null,
                $"{reason} That ticket was closed more than {reopenWindow.TotalDays:0.#} days ago, so this starts a new ticket linked to it.",
                ticket);
        }
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return new ThreadDecision(ticket, $"{reason} The ticket was {ticket.Status.ToString().ToLowerInvariant()} and is reopened.");
        }
        return new ThreadDecision(ticket, reason);
    }

    /// <summary>The ticket, following merges to the ticket that carries the conversation now.</summary>
    private static async Task<Ticket?> FindAsync(SwitchboardDb db, long id, CancellationToken ct)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            // Tickets the batch read ahead are tracked already; FindAsync answers those without a query.
            var ticket = await db.Tickets.FindAsync([id], ct);
            if (ticket?.MergedIntoId is not { } next) return ticket;
            id = next;
        }
        return null;
    }
}
