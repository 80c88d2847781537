using System.Collections.Concurrent;
using Switchboard.Tickets;

namespace Switchboard.Host.Tests.Nodes;

/// <summary>A listener on one node's ticket feed, as an open inbox is, that remembers what it heard.</summary>
public sealed class FeedProbe : IDisposable
{
    private readonly ConcurrentQueue<TicketChanged> _heard = new();
    private readonly IDisposable _subscription;

    public FeedProbe(TicketFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _subscription = feed.Subscribe(change =>
        {
            _heard.Enqueue(change);
            return Task.CompletedTask;
        });
    }

    public IReadOnlyList<TicketChanged> Heard(long ticketId) => _heard.Where(c => c.TicketId == ticketId).ToList();

    /// <summary>The first change of <paramref name="ticketId"/> that matches, once it arrived; fails after <paramref name="seconds"/>.</summary>
    public async Task<TicketChanged> WaitForAsync(long ticketId, Func<TicketChanged, bool> match, int seconds = 5)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = _heard.FirstOrDefault(c => c.TicketId == ticketId && match(c));
            if (found is not null) return found;
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"No matching change of ticket {ticketId} arrived within {seconds} s; heard: " +
                    string.Join("; ", Heard(ticketId).Select(c => string.Join(",", c.Types))));
            }
            await Task.Delay(25);
        }
    }

    public void Dispose() => _subscription.Dispose();
}

internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 5)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Waited {seconds} s for: {what}");
            await Task.Delay(25);
        }
    }
}
