using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>Tags are lower-case, trimmed, and created on first use.</summary>
internal static class Tags
{
    public static List<string> Normalize(IEnumerable<string>? tags)
    {
        if (tags is null) return [];
        var result = new List<string>();
        foreach (var raw in tags)
        {
            var tag = (raw ?? "").Trim().ToLowerInvariant();
            if (tag.Length == 0) continue;
            if (tag.Length > 100) throw ProblemException.Invalid("tags", $"The tag '{tag[..20]}…' is longer than 100 characters.");
            if (!result.Contains(tag)) result.Add(tag);
        }
        if (result.Count > 50) throw ProblemException.Invalid("tags", "A ticket can have at most 50 tags.");
        return result;
    }

    public static async Task<Dictionary<string, Tag>> ResolveAsync(SwitchboardDb db, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        if (names.Count == 0) return [];
        var found = await db.Tags.Where(t => names.Contains(t.Name)).ToDictionaryAsync(t => t.Name, ct);
        // A tag created earlier in this unit of work (a bulk change to several tickets) is not saved yet.
        foreach (var pending in db.Tags.Local.Where(t => names.Contains(t.Name))) found.TryAdd(pending.Name, pending);
        foreach (var name in names.Where(n => !found.ContainsKey(n)))
        {
            var tag = new Tag { Name = name };
            db.Tags.Add(tag);
            found[name] = tag;
        }
        return found;
    }

    /// <summary>Replaces (when <paramref name="set"/> is given), adds and removes tags; records one event per tag.</summary>
    public static async Task<bool> ApplyAsync(SwitchboardDb db, Ticket ticket, IReadOnlyList<string>? set, IReadOnlyList<string> add, IReadOnlyList<string> remove, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var current = ticket.Tags.Select(t => t.Tag!.Name).ToHashSet();
        var target = set is null ? new HashSet<string>(current) : [.. set];
        target.UnionWith(add);
        target.ExceptWith(remove);
        if (target.SetEquals(current)) return false;
        var tags = await ResolveAsync(db, target.Except(current).ToList(), ct);
        foreach (var name in target.Except(current).Order(StringComparer.Ordinal))
        {
            ticket.Tags.Add(new TicketTag { TicketId = ticket.Id, Tag = tags[name] });
            History.Record(db, ticket, actor, "tag_added", now, "tags", null, name);
        }
        foreach (var link in ticket.Tags.Where(t => !target.Contains(t.Tag!.Name)).ToList())
        {
            ticket.Tags.Remove(link);
            History.Record(db, ticket, actor, "tag_removed", now, "tags", link.Tag!.Name, null);
        }
        return true;
    }
}
