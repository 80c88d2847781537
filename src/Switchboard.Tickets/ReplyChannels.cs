using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Tickets;

/// <summary>One channel a reply could go out on, and whether it reaches the customer now (else why not).</summary>
public sealed record ReplyChannelDto(Channel Channel, bool Available, string? To, string? Reason);

/// <summary>
/// Where a reply goes: <paramref name="Default"/> is the channel the customer last used when it still
/// reaches them, else the first that does; <paramref name="LastUsed"/> is what the customer wrote on last.
/// </summary>
public sealed record ReplyOptionsDto(Channel Default, Channel LastUsed, IReadOnlyList<ReplyChannelDto> Channels);

/// <summary>
/// Picks and checks the channel of an agent's reply. The channel modules know whether they reach
/// the customer (<see cref="IReplyChannel"/>); this class only chooses among their answers.
/// </summary>
internal static class ReplyChannels
{
    /// <summary>When the customer's channel cannot carry a reply (an ended chat, a web form), these are tried in this order.</summary>
    private static readonly Channel[] Fallbacks = [Channel.Email, Channel.Portal, Channel.Chat];

    public static async Task<ReplyOptionsDto> OptionsAsync(SwitchboardDb db, Ticket ticket, IEnumerable<IReplyChannel> channels, CancellationToken ct)
    {
        var lastUsed = await db.Messages.AsNoTracking()
            .Where(m => m.TicketId == ticket.Id && m.Direction == MessageDirection.Inbound && m.AuthorType == ActorType.Contact)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => (Channel?)m.Channel)
            .FirstOrDefaultAsync(ct) ?? ticket.Channel;
        var list = new List<ReplyChannelDto>();
        foreach (var channel in channels.OrderBy(c => Array.IndexOf(Fallbacks, c.Channel)))
        {
            var reach = await channel.ReachAsync(db, ticket, ct);
            list.Add(new ReplyChannelDto(channel.Channel, reach.Reachable, reach.To, reach.Reason));
        }
        var own = list.FirstOrDefault(c => c.Channel == lastUsed);
        Channel chosen;
        if (own is null && lastUsed == Channel.Form)
        {
            // Someone who filled in a contact form expects the answer where they can read it:
            // by email (or in the portal) when that reaches them.
            chosen = list.FirstOrDefault(c => c.Available)?.Channel ?? lastUsed;
        }
        else if (own is null)
        {
            // The customer's channel has no way back (the API, a phone call noted by hand): the reply
            // is recorded on it, as it always was; the agent may pick a channel that reaches them.
            chosen = lastUsed;
        }
        else
        {
            chosen = own.Available ? lastUsed : list.FirstOrDefault(c => c.Available)?.Channel ?? lastUsed;
        }
        return new ReplyOptionsDto(chosen, lastUsed, list);
    }

    /// <summary>The channel for a reply: the agent's choice when it reaches the customer, else a clear refusal; none: the default.</summary>
    public static async Task<Channel> ChooseAsync(SwitchboardDb db, Ticket ticket, IEnumerable<IReplyChannel> channels, string? requested, CancellationToken ct)
    {
        var options = await OptionsAsync(db, ticket, channels, ct);
        if (Parse.OptionalEnum<Channel>(requested, "channel") is not { } wanted) return options.Default;
        var name = wanted.ToString().ToLowerInvariant();
        var option = options.Channels.FirstOrDefault(c => c.Channel == wanted);
        if (option is null)
        {
            // Recording a reply on the customer's own channel stays possible, as without a choice.
            if (wanted == options.LastUsed) return wanted;
            var possible = string.Join(", ", options.Channels.Select(c => c.Channel.ToString().ToLowerInvariant()));
            throw ProblemException.Invalid("channel", $"Replies cannot be sent by {name}; choose one of: {possible}.");
        }
        if (!option.Available)
        {
            throw ProblemException.Invalid("channel", $"The customer cannot be reached by {name}: {option.Reason}");
        }
        return wanted;
    }
}
