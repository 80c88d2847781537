using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Email.Parsing;

namespace Switchboard.Email;

/// <summary>
/// What storing one batch of inbound mail needs to know beyond a single message, read once for the
/// batch instead of once per message: the stored messages its mails refer to and the tickets they may
/// join, our own addresses, ticket participants, recent automatic replies per address; and what the
/// batch did so far, so that a reply joins the ticket its original started a moment earlier in the
/// same batch (before that ticket is saved: one save for the whole batch).
/// </summary>
internal sealed class InboundBatch
{
    private readonly Dictionary<string, (long MessageId, long TicketId)> _stored;
    private readonly Dictionary<string, (int Order, Ticket Ticket)> _taken = new(StringComparer.Ordinal);
    private readonly Dictionary<long, HashSet<string>> _participants = [];
    private readonly List<(Ticket Ticket, string Email, string? Name)> _deferredParticipants = [];
    private readonly List<Ticket> _created = [];
    private readonly Dictionary<string, int> _autoReplies = new(StringComparer.Ordinal);

    private InboundBatch(Dictionary<string, (long, long)> stored, HashSet<string> ownAddresses)
    {
        _stored = stored;
        OwnAddresses = ownAddresses;
    }

    /// <summary>The addresses of every mailbox of this installation (lower case).</summary>
    public IReadOnlySet<string> OwnAddresses { get; }

    public static async Task<InboundBatch> LoadAsync(SwitchboardDb db, MessageIds ids, IReadOnlyCollection<ParsedMail> mails, CancellationToken ct)
    {
        var references = mails.SelectMany(MailThreader.ReferencesOf).Distinct(StringComparer.Ordinal).ToList();
        var stored = new Dictionary<string, (long MessageId, long TicketId)>(StringComparer.Ordinal);
        foreach (var chunk in references.Chunk(500))
        {
            var rows = await db.Messages.AsNoTracking()
                .Where(m => m.ExternalId != null && chunk.Contains(m.ExternalId))
                .Select(m => new { m.Id, m.TicketId, m.ExternalId })
                .ToListAsync(ct);
            foreach (var row in rows)
            {
                // The newest message with that id wins, as it would for a single mail.
                if (!stored.TryGetValue(row.ExternalId!, out var seen) || seen.MessageId < row.Id) stored[row.ExternalId!] = (row.Id, row.TicketId);
            }
        }

        // Read every ticket the batch may join in one query; the threader then finds them tracked.
        var ticketIds = stored.Values.Select(v => v.TicketId)
            .Concat(references.Select(ids.TicketOf).OfType<long>())
            .Concat(mails.Select(m => MailThreader.TaggedTicket(m.Subject)).OfType<long>())
            .Distinct()
            .ToList();
        // And their participants, which decide who may reply by the ticket tag and who is added.
        var participants = ticketIds.ToDictionary(id => id, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var chunk in ticketIds.Chunk(500))
        {
            await db.Tickets.Where(t => chunk.Contains(t.Id)).LoadAsync(ct);
            var rows = await db.TicketParticipants.AsNoTracking()
                .Where(p => chunk.Contains(p.TicketId))
                .Select(p => new { p.TicketId, p.Email })
                .ToListAsync(ct);
            foreach (var row in rows) participants[row.TicketId].Add(row.Email);
        }

        var own = await db.Mailboxes.AsNoTracking().Select(m => m.Address).ToListAsync(ct);
        var batch = new InboundBatch(stored, own.ToHashSet(StringComparer.Ordinal));
        foreach (var (id, set) in participants) batch._participants[id] = set;
        return batch;
    }

    /// <summary>Notes a message of this batch that can be referred to by a later one.</summary>
    public void Taken(Message message, Ticket ticket, bool created)
    {
        if (created) _created.Add(ticket);
        if (message.ExternalId is { } id) _taken[id] = (_taken.Count + 1, ticket);
    }

    /// <summary>
    /// The newest message among <paramref name="references"/> that Switchboard has: one taken earlier in
    /// this batch (newer than anything stored; its ticket may be new and have no number yet), else the
    /// newest stored one.
    /// </summary>
    public (string ExternalId, Ticket? Taken, long TicketId)? LatestKnown(IReadOnlyList<string> references)
    {
        (int Order, string Id, Ticket Ticket)? taken = null;
        (long MessageId, string Id, long TicketId)? stored = null;
        foreach (var reference in references)
        {
            if (_taken.TryGetValue(reference, out var t) && (taken is null || t.Order > taken.Value.Order))
            {
                taken = (t.Order, reference, t.Ticket);
            }
            if (_stored.TryGetValue(reference, out var s) && (stored is null || s.MessageId > stored.Value.MessageId))
            {
                stored = (s.MessageId, reference, s.TicketId);
            }
        }
        if (taken is { } newest) return (newest.Id, newest.Ticket, newest.Ticket.Id);
        if (stored is { } known) return (known.Id, null, known.TicketId);
        return null;
    }

    /// <summary>The participants' addresses of a saved ticket: read with the batch's tickets, or once when first asked.</summary>
    public async Task<HashSet<string>> ParticipantsAsync(SwitchboardDb db, long ticketId, CancellationToken ct)
    {
        if (!_participants.TryGetValue(ticketId, out var set))
        {
            var emails = await db.TicketParticipants.AsNoTracking().Where(p => p.TicketId == ticketId).Select(p => p.Email).ToListAsync(ct);
            _participants[ticketId] = set = emails.ToHashSet(StringComparer.Ordinal);
        }
        return set;
    }

    /// <summary>Adds the people who are not yet on the ticket; for a ticket not saved yet, once it is (<see cref="Saved"/>).</summary>
    public async Task AddParticipantsAsync(SwitchboardDb db, Ticket ticket, IEnumerable<(string Email, string? Name)> people, CancellationToken ct)
    {
        if (ticket.Id == 0)
        {
            foreach (var (email, name) in people) _deferredParticipants.Add((ticket, email, name));
            return;
        }
        var known = await ParticipantsAsync(db, ticket.Id, ct);
        foreach (var (email, name) in people)
        {
            if (known.Add(email)) db.TicketParticipants.Add(new TicketParticipant { TicketId = ticket.Id, Email = email, Name = name });
        }
    }

    /// <summary>After a save: new tickets have their numbers, so their participants can be added.</summary>
    public void Saved(SwitchboardDb db)
    {
        foreach (var ticket in _created) _participants.TryAdd(ticket.Id, new HashSet<string>(StringComparer.Ordinal));
        foreach (var (ticket, email, name) in _deferredParticipants)
        {
            if (_participants[ticket.Id].Add(email)) db.TicketParticipants.Add(new TicketParticipant { TicketId = ticket.Id, Email = email, Name = name });
        }
        _deferredParticipants.Clear();
    }

    /// <summary>Automatic replies to <paramref name="address"/> since <paramref name="since"/>, counting the ones this batch queued.</summary>
    public async Task<int> AutoRepliesAsync(SwitchboardDb db, string address, DateTimeOffset since, CancellationToken ct)
    {
        if (!_autoReplies.TryGetValue(address, out var count))
        {
            count = await db.OutboundMails.CountAsync(m => m.Kind == OutboundMailKind.AutoReply && m.ToAddresses == address && m.CreatedAt >= since, ct);
            _autoReplies[address] = count;
        }
        return count;
    }

    public void AutoReplyQueued(string address) => _autoReplies[address] = _autoReplies.GetValueOrDefault(address) + 1;
}
