using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Tickets;

/// <summary>Merging moves every message of one ticket into another; splitting moves one message into a new ticket. Both leave a trail on each ticket.</summary>
internal static class MergeSplit
{
    public static async Task<TicketDto> MergeAsync(
        SwitchboardDb db, TimeProvider time, CurrentAgent agent, long id, MergeTicketRequest request, CancellationToken ct)
    {
        if (request.SourceTicketId is not { } sourceId) throw ProblemException.Invalid("sourceTicketId", "Say which ticket to merge into this one.");
        if (sourceId == id) throw ProblemException.Invalid("sourceTicketId", "A ticket cannot be merged into itself.");
        var target = await TicketAccess.LoadAsync(db, agent, id, ct, withTags: true);
        var source = await TicketAccess.LoadAsync(db, agent, sourceId, ct, withTags: true);
        if (target.MergedIntoId is not null) throw ProblemException.Conflict($"Ticket {id} was itself merged into ticket {target.MergedIntoId}.");
        if (source.MergedIntoId is not null) throw ProblemException.Conflict($"Ticket {sourceId} was already merged into ticket {source.MergedIntoId}.");

        var now = time.GetUtcNow();
        var actor = Actor.Of(agent);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.Messages.Where(m => m.TicketId == sourceId).ExecuteUpdateAsync(s => s.SetProperty(m => m.TicketId, id), ct);
        await db.SearchEntries.Where(e => e.TicketId == sourceId && e.Kind == SearchEntryKind.Message)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.TicketId, id), ct);
        await Tags.ApplyAsync(db, target, null, source.Tags.Select(t => t.Tag!.Name).ToList(), [], actor, now, ct);

        target.MessageCount += moved;
        source.MessageCount = 0;
        target.LastMessageAt = Max(target.LastMessageAt, source.LastMessageAt);
        target.FirstResponseAt = Min(target.FirstResponseAt, source.FirstResponseAt);
        target.UpdatedAt = now;
        source.MergedIntoId = id;
        TicketChanges.SetStatus(db, source, TicketStatus.Closed, actor, now);
        source.UpdatedAt = now;
        History.Record(db, target, actor, "merged", now, "ticket", sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        History.Record(db, source, actor, "merged_into", now, "ticket", sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await TicketQueries.OneAsync(db, id, ct);
    }

    public static async Task<TicketDto> SplitAsync(
        SwitchboardDb db, TimeProvider time, CurrentAgent agent, long id, SplitTicketRequest request, CancellationToken ct)
    {
        if (request.MessageId is not { } messageId) throw ProblemException.Invalid("messageId", "Say which message to split off.");
        var original = await TicketAccess.LoadAsync(db, agent, id, ct);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.TicketId == id, ct)
            ?? throw ProblemException.Invalid("messageId", $"Message {messageId} is not on ticket {id}.");
        if (original.MessageCount <= 1) throw ProblemException.Conflict("A ticket with a single message cannot be split.");
        var subject = request.Subject is null ? original.Subject : Parse.Text(request.Subject, "subject", 500);

        var now = time.GetUtcNow();
        var actor = Actor.Of(agent);
        var created = new Ticket
        {
            Subject = subject,
            Status = TicketStatus.Open,
            Priority = original.Priority,
            Channel = message.Channel,
            CustomerId = message.AuthorContactId ?? original.CustomerId,
            DepartmentId = original.DepartmentId,
            AssigneeId = original.AssigneeId,
            CreatedAt = now,
            UpdatedAt = now,
            LastMessageAt = message.CreatedAt,
            MessageCount = 1,
            SplitFromId = id,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Tickets.Add(created);
        SearchIndex.AddSubject(db, created);
        History.Record(db, created, actor, "split_from", now, "ticket", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
        await db.SaveChangesAsync(ct);
        message.TicketId = created.Id;
        await db.SearchEntries.Where(e => e.MessageId == messageId).ExecuteUpdateAsync(s => s.SetProperty(e => e.TicketId, created.Id), ct);
        original.MessageCount--;
        original.UpdatedAt = now;
        original.LastMessageAt = await db.Messages.Where(m => m.TicketId == id && m.Id != messageId && m.Kind == MessageKind.Reply)
            .OrderByDescending(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(ct);
        History.Record(db, original, actor, "split", now, "message", messageId.ToString(System.Globalization.CultureInfo.InvariantCulture), created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await TicketQueries.OneAsync(db, created.Id, ct);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
