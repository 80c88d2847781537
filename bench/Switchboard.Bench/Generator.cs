using System.Diagnostics;
using System.Threading.Channels;
using Switchboard.Core.Data;

namespace Switchboard.Bench;

/// <summary>
/// The generate command: migrates, then streams batches from a producer (text and tokens cost
/// CPU) to the loader (the database costs I/O and CPU), so both cores stay busy.
/// </summary>
internal static class Generator
{
    private const int ContactBatchSize = 20_000;

    public static async Task<int> RunAsync(DatabaseProvider provider, string connectionString, DatasetSize size, int batchSize)
    {
        await using var loader = Db.Loader(provider, connectionString);
        if (await loader.ExistingAsync() is { } existing)
        {
            if (existing.Size == size)
            {
                Log($"The database already holds this dataset ({existing.Size.Tickets:N0} tickets, generated {existing.GeneratedAt:u}); nothing to do.");
                return 0;
            }
            Log($"The database holds a different dataset ({existing.Size}); replacing it.");
        }

        var total = Stopwatch.StartNew();
        Log($"Migrating a fresh {provider} database");
        await loader.PrepareAsync();
        var dataset = new Dataset(size);
        await loader.WriteReferenceAsync(dataset.Reference());

        var contacts = Channel.CreateBounded<ContactBatch>(2);
        var producer = Task.Run(async () =>
        {
            for (long from = 1; from <= size.Contacts; from += ContactBatchSize)
            {
                await contacts.Writer.WriteAsync(dataset.Contacts(from, Math.Min(size.Contacts, from + ContactBatchSize - 1)));
            }
            contacts.Writer.Complete();
        });
        await foreach (var batch in contacts.Reader.ReadAllAsync()) await loader.WriteContactsAsync(batch);
        await producer;
        Log($"{size.Contacts:N0} contacts ({total.Elapsed.TotalSeconds:F0} s)");

        var tickets = Channel.CreateBounded<TicketBatch>(2);
        producer = Task.Run(async () =>
        {
            for (long from = 1; from <= size.Tickets; from += batchSize)
            {
                await tickets.Writer.WriteAsync(dataset.Tickets(from, Math.Min(size.Tickets, from + batchSize - 1)));
            }
            tickets.Writer.Complete();
        });
        long written = 0;
        var lastReport = Stopwatch.StartNew();
        await foreach (var batch in tickets.Reader.ReadAllAsync())
        {
            await loader.WriteTicketsAsync(batch);
            written += batch.Tickets.Count;
            if (lastReport.Elapsed > TimeSpan.FromSeconds(15) || written == size.Tickets)
            {
                Log($"{written:N0} / {size.Tickets:N0} tickets ({total.Elapsed.TotalSeconds:F0} s, {written / total.Elapsed.TotalSeconds:N0}/s)");
                lastReport.Restart();
            }
        }
        await producer;
        var loaded = total.Elapsed;

        Log("Rebuilding indexes");
        await loader.FinishAsync(Log);
        var info = new DatasetInfo(size, dataset.Messages, dataset.SearchEntries, Math.Round(total.Elapsed.TotalSeconds), DateTimeOffset.UtcNow,
            dataset.Probes(), Enumerable.Range(0, Dataset.DepartmentCount).Select(Dataset.DepartmentId).ToList());
        await loader.MarkCompleteAsync(info);
        Log($"Done in {total.Elapsed.TotalSeconds:F0} s (rows {loaded.TotalSeconds:F0} s, indexes {(total.Elapsed - loaded).TotalSeconds:F0} s): " +
            $"{size.Tickets:N0} tickets, {dataset.Messages:N0} messages, {dataset.SearchEntries:N0} search entries");
        foreach (var p in info.Probes) Log($"  probe {p.Language} {p.Level,-6} '{p.Word}' in {p.DocumentFrequency:N0} search entries");
        return 0;
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
