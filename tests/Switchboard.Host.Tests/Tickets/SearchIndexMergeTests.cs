using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Tickets;

/// <summary>
/// On PostgreSQL new search entries wait in the index's pending list, which the host merges into the
/// index itself in the background; nothing waits for a full list to be merged inside an insert.
/// </summary>
public sealed class SearchIndexMergeTests_Postgres(PostgresFactory factory) : ApiTests(factory), IClassFixture<PostgresFactory>
{
    [Fact]
    public async Task NewTickets_AreSearchableAtOnce_AndTheirEntriesReachTheIndexInTheBackground()
    {
        var tag = Unique("merge");
        var refund = await CreateTicketAsync(TicketRequest(tag, subject: "Refund 退款", body: "Gusto ko pong ibalik ang bayad. 我想申请退款。"));
        for (var i = 0; i < 20; i++)
        {
            await CreateTicketAsync(TicketRequest(tag, subject: $"Order {i} 订单", body: $"Nasaan na po ang order {i}? 我的订单还没到。"));
        }

        // Searchable at once, from the pending list or the index.
        Assert.Equal([refund.Id()], (await ListTicketsAsync($"tag={tag}&q={Uri.EscapeDataString("ibalik 退款")}")).Ids());

        // Eight rounds of the background merge later (one every 250 ms), nothing is left for anyone else to merge.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        var left = await db.Database.SqlQueryRaw<long>("SELECT gin_clean_pending_list('ix_search_entries_fts'::regclass) AS \"Value\"").SingleAsync();
        Assert.Equal(0, left);
        Assert.Equal([refund.Id()], (await ListTicketsAsync($"tag={tag}&q={Uri.EscapeDataString("ibalik 退款")}")).Ids());
    }
}
