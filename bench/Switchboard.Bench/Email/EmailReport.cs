using System.Globalization;
using System.Text;
using Switchboard.Core.Data;

namespace Switchboard.Bench.Email;

internal static class EmailReport
{
    public static string Render(
        EmailSettings settings, string loadBefore, string serverVersion, int corpusMessages, Dictionary<string, int> kinds, long bytes,
        IngestResult ingest, SubstrateResult single, SubstrateResult batched, LatencyResult latency)
    {
        var provider = settings.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## Email ingestion, {provider}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-dd}, {serverVersion}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, Dovecot on 127.0.0.1.");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Host, database, Dovecot and the benchmark share the machine; its load average (1, 5, 15 min) was {loadBefore} before the run and {Report.LoadAverage()} after it.");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Dataset: {ingest.Messages:N0} messages, {bytes / 1048576.0:F1} MB in the INBOX: {Get(kinds, "corpus"):N0} copies of the {corpusMessages} real-world corpus messages MimeKit can load, "
            + $"{Get(kinds, "new"):N0} generated new conversations and {Get(kinds, "reply"):N0} generated replies (In-Reply-To/References to earlier generated messages).");
        sb.AppendLine();
        var ratio = single.PerSecond / ingest.PerSecond;
        sb.AppendLine("| Path | messages | time | messages/s | Switchboard's time ÷ this |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| Switchboard: IMAP fetcher → tickets, until the last is visible through the API | {ingest.Messages:N0} | {ingest.Elapsed.TotalSeconds:F1} s | {ingest.PerSecond:N0} | |");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| substrate: MailKit {single.Name} + MimeKit + raw INSERT | {single.Messages:N0} | {single.Elapsed.TotalSeconds:F1} s | {single.PerSecond:N0} | {ratio:F1}× |");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| substrate: MailKit {batched.Name} + MimeKit + raw INSERT | {batched.Messages:N0} | {batched.Elapsed.TotalSeconds:F1} s | {batched.PerSecond:N0} | {batched.PerSecond / ingest.PerSecond:F1}× |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Result: {ingest.Tickets:N0} tickets, {ingest.StoredMessages:N0} messages; inbound records by status: {string.Join(", ", ingest.InboundByStatus.Select(s => $"{s.Key}: {s.Value:N0}"))}. "
            + $"First ticket visible {ingest.FirstVisible.TotalSeconds:F1} s after the mailbox was added (connection and first fetch included in the time above).");
        if (ingest.Warmup is { } warmup)
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"Warm-up, unmeasured, before both the substrate and Switchboard: {warmup.Messages:N0} other messages of the same kinds from the same 2,000 customers, in a second IMAP user and a second mailbox "
                + $"(Switchboard took {warmup.Elapsed.TotalSeconds:F1} s for them, {warmup.Messages / warmup.Elapsed.TotalSeconds:N0} messages/s, on a freshly started host{Jit(warmup.HostCpu)}). "
                + $"The measured figures are the steady state of a running help desk: code optimised by the JIT, the customers known.");
        }
        if (ingest.HostCpu is { } cpu)
        {
            // Less at the mercy of other work on the machine than the elapsed time.
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"The host used {cpu.Seconds:F1} s of CPU time (user and system, all threads, the API polls included) while ingesting: {cpu.Seconds * 1000 / ingest.Messages:F2} ms per message; "
                + $"of it, the runtime's background tiered compiler {cpu.TieredCompilerSeconds:F1} s ({Share(cpu)}; near 0 once the JIT has settled).");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| Arrival to visible (IDLE) | sent | visible | p50 | p99 | max |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| {latency.Rate:F0} new messages/s, one APPEND each | {latency.Sent} | {latency.Seen} | {Ms(latency.Latency.P50)} | {Ms(latency.Latency.P99)} | {Ms(latency.Latency.Percentile(1))} |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Latency runs from the APPEND's completion to the first poll of `GET /api/v1/tickets?sort=-createdAt&limit=100` (every {latency.PollMs:F0} ms) that lists the ticket.");
        sb.AppendLine();
        sb.AppendLine("| Target | result | met |");
        sb.AppendLine("|---|---:|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| ≥ 1,000 messages/s{(settings.Provider == DatabaseProvider.Sqlite ? "" : " (set for SQLite)")} | {ingest.PerSecond:N0} | {Met(ingest.PerSecond >= 1_000)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| arrival to visible p99 ≤ 1 s | {Ms(latency.Latency.P99)} | {Met(latency.Seen == latency.Sent && latency.Latency.P99 <= 1_000)} |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| within 3× of the substrate (one FETCH per message) | {ratio:F1}× | {Met(ratio <= 3)} |");
        return sb.ToString();
    }

    private static string Jit(HostCpu? cpu) =>
        cpu is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; {cpu.Seconds:F1} s of CPU, {cpu.TieredCompilerSeconds:F1} s of it ({Share(cpu)}) the runtime's background tiered compiler");

    private static string Share(HostCpu cpu) => cpu.Seconds > 0 ? (cpu.TieredCompilerSeconds / cpu.Seconds).ToString("P0", CultureInfo.InvariantCulture) : "–";

    private static int Get(Dictionary<string, int> kinds, string kind) => kinds.GetValueOrDefault(kind);

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("F0", CultureInfo.InvariantCulture) + " ms";
}
