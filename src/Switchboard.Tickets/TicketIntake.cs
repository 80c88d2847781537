using Switchboard.Core.Data;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>How channels (email, chat, forms) put a customer's message into the inbox: a new ticket, or a reply on one.</summary>
public static class TicketIntake
{
    /// <summary>
    /// Adds a new ticket started by <paramref name="customer"/> with <paramref name="message"/> as its first message. Not saved.
    /// With <paramref name="searchEntries"/>, the ticket's search entries go there instead of into the context, for a
    /// caller that writes them itself, in the same transaction, once the ticket and message have ids (a batch of mail).
    /// With <paramref name="messages"/> as well, the message goes there, not tracked (its <see cref="Message.Ticket"/> set),
    /// for such a caller to write too.
    /// </summary>
    public static Ticket Open(SwitchboardDb db, Contact customer, string subject, Message message, long? departmentId, DateTimeOffset now,
        ICollection<SearchEntry>? searchEntries = null, ICollection<Message>? messages = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(message);
        var ticket = new Ticket
        {
            Subject = string.IsNullOrWhiteSpace(subject) ? "(no subject)" : Truncate(subject.Trim(), 500),
            Status = TicketStatus.New,
            Channel = message.Channel,
            Customer = customer,
            DepartmentId = departmentId,
            CreatedAt = now,
            UpdatedAt = now,
            LastMessageAt = now,
            MessageCount = 1,
        };
        message.Kind = MessageKind.Reply;
        message.Direction = MessageDirection.Inbound;
        message.AuthorType = ActorType.Contact;
        if (messages is null)
        {
            ticket.Messages.Add(message);
        }
        else
        {
            Untracked(searchEntries, messages, message);
            message.Ticket = ticket;
        }
        db.Tickets.Add(ticket);
        if (searchEntries is null)
        {
            SearchIndex.AddSubject(db, ticket);
            SearchIndex.AddMessage(db, ticket, message);
        }
        else
        {
            searchEntries.Add(SearchIndex.SubjectEntry(ticket));
            searchEntries.Add(SearchIndex.MessageEntry(ticket, message));
        }
        History.Record(db, ticket, new Actor(ActorType.Contact, customer.Id == 0 ? null : customer.Id, customer.Name), "created", now);
        return ticket;
    }

    /// <summary>
    /// Adds a customer's message to an existing ticket. A ticket waiting on the customer, answered
    /// or resolved opens again, so the reply is seen. Not saved. <paramref name="searchEntries"/> and
    /// <paramref name="messages"/> as for <see cref="Open"/>.
    /// </summary>
    public static void AddCustomerMessage(SwitchboardDb db, Ticket ticket, Contact author, Message message, DateTimeOffset now,
        ICollection<SearchEntry>? searchEntries = null, ICollection<Message>? messages = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(message);
        message.Kind = MessageKind.Reply;
        message.Direction = MessageDirection.Inbound;
        message.AuthorType = ActorType.Contact;
        message.Ticket = ticket;
        if (messages is null) db.Messages.Add(message);
        else Untracked(searchEntries, messages, message);
        if (searchEntries is null) SearchIndex.AddMessage(db, ticket, message);
        else searchEntries.Add(SearchIndex.MessageEntry(ticket, message));
        ticket.MessageCount++;
        ticket.LastMessageAt = now;
        ticket.UpdatedAt = now;
        var actor = new Actor(ActorType.Contact, author.Id == 0 ? null : author.Id, author.Name);
        History.Record(db, ticket, actor, "customer_replied", now);
        if (ticket.Status is TicketStatus.Pending or TicketStatus.Answered or TicketStatus.Resolved or TicketStatus.Closed)
        {
            TicketChanges.SetStatus(db, ticket, TicketStatus.Open, actor, now);
        }
    }

    /// <summary>Marks a ticket as a follow-up of an earlier one, with a trail on both.</summary>
    public static void LinkFollowUp(SwitchboardDb db, Ticket followUp, Ticket earlier, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(followUp);
        ArgumentNullException.ThrowIfNull(earlier);
        followUp.FollowUpOfId = earlier.Id;
        History.Record(db, followUp, Actor.System, "follow_up_of", now, "ticket", null, earlier.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>An untracked message's search entry must not be tracked either: the context would track the message through it.</summary>
    private static void Untracked(ICollection<SearchEntry>? searchEntries, ICollection<Message> messages, Message message)
    {
        if (searchEntries is null) throw new ArgumentException("A message written by the caller needs its search entries written by the caller too.", nameof(messages));
        messages.Add(message);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
