using System.Globalization;
using System.Text;
using Switchboard.Core.Data;

namespace Switchboard.Bench;

/// <summary>Latencies in milliseconds.</summary>
internal sealed class Samples
{
    private readonly double[] _sorted;

    public Samples(List<double> values)
    {
        _sorted = [.. values];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    /// <summary>CPU time per call: of the host for API calls, of this process for raw ones (SQLite runs in it; PostgreSQL's server does not).</summary>
    public double CpuMsPerCall { get; init; } = double.NaN;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    /// <summary>Nearest rank: with fewer than 100 samples p99 is the slowest one.</summary>
    public double Percentile(double p) =>
        _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];
}

internal static class Report
{
    public static string Render(RunSettings settings, DatasetInfo info, string serverVersion, string loadBefore, Samples? floor, List<ScenarioResult> results, ThroughputResult? throughput)
    {
        var provider = settings.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## {provider}");
        sb.AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd}, {serverVersion}, {Environment.ProcessorCount} cores ({Cpu()}), .NET {Environment.Version}. ");
        sb.Append(CultureInfo.InvariantCulture, $"Dataset: {info.Size.Tickets:N0} tickets, {info.Messages:N0} messages, {info.Size.Contacts:N0} contacts, {info.Size.Agents:N0} agents, ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{info.SearchEntries:N0} search entries (generated in {info.GenerationSeconds:N0} s). Host, database and load generator share the machine; ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"its load average (1, 5, 15 min) was {loadBefore} before the run and {LoadAverage()} after it.");
        sb.AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"Sequential requests per scenario: up to {settings.Requests} within {settings.Duration.TotalSeconds:F0} s after a warm-up of at least {settings.Warmup} calls and {settings.WarmupTime.TotalSeconds:F0} s (never longer than {settings.Duration.TotalSeconds / 4:F0} s). ");
        sb.AppendLine("Raw = the same SQL statements run directly with ADO.NET on a pooled connection. Ratio = API ÷ raw; \"≤ 3× raw\" compares medians.");
        sb.AppendLine();
        if (floor is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"HTTP floor — `GET /health/live` through the same client with the same bearer token (authentication, routing, the middleware and a small JSON answer; no database): n {floor.Count}, p50 {Ms(floor.P50)}, p99 {Ms(floor.P99)}. ");
            sb.AppendLine("\"Above floor\" = (API p50 − floor p50) ÷ raw p50: the ratio without the HTTP round trip, i.e. what the endpoint itself adds to its query.");
            sb.AppendLine();
        }
        sb.AppendLine("| Scenario | n | API p50 | API p99 | raw p50 | raw p99 | ratio p50 | ratio p99 | above floor p50 | target | p99 met | ≤ 3× raw |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var r in results)
        {
            var met = r.Api.P99 <= r.TargetMs ? "yes" : "**no**";
            var within = r.Api.P50 <= 3 * r.Raw.P50 ? "yes" : "no";
            // "Both calls" makes two round trips.
            var trips = r.Name.Contains("both calls", StringComparison.Ordinal) ? 2 : 1;
            var aboveFloor = floor is null ? "–" : Ratio(Math.Max(0, r.Api.P50 - (trips * floor.P50)), r.Raw.P50);
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Api.Count} | {Ms(r.Api.P50)} | {Ms(r.Api.P99)} | {Ms(r.Raw.P50)} | {Ms(r.Raw.P99)} | ");
            sb.AppendLine(CultureInfo.InvariantCulture, $"{Ratio(r.Api.P50, r.Raw.P50)} | {Ratio(r.Api.P99, r.Raw.P99)} | {aboveFloor} | {r.Target} | {met} | {within} |");
        }
        sb.AppendLine();
        if (throughput is null) return sb.ToString();
        sb.AppendLine("| Throughput: list open + department, first page | workers | requests/s | errors | p50 under load | p99 under load | host CPU per request |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| API | {throughput.Workers} | {throughput.ApiPerSecond:N0} | {throughput.ApiErrors} | {Ms(throughput.ApiLatency.P50)} | {Ms(throughput.ApiLatency.P99)} | {Ms(throughput.ApiCpuMsPerRequest)} |");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| raw | {throughput.Workers} | {throughput.RawPerSecond:N0} | 0 | {Ms(throughput.RawLatency.P50)} | {Ms(throughput.RawLatency.P99)} | |");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| ratio (API ÷ raw) | | {throughput.ApiPerSecond / throughput.RawPerSecond:F2} | | | | |");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"| HTTP floor (`GET /health/live`) | {throughput.Workers} | {throughput.FloorPerSecond:N0} | {throughput.FloorErrors} | {Ms(throughput.FloorLatency.P50)} | {Ms(throughput.FloorLatency.P99)} | {Ms(throughput.FloorCpuMsPerRequest)} |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Throughput target ≥ 2,000 requests/s: {(throughput.ApiPerSecond >= 2_000 ? "met" : "**not met**")}.");
        sb.AppendLine();
        sb.AppendLine("Notes (for search words: how many search entries contain the word):");
        sb.AppendLine();
        foreach (var r in results.Where(r => r.Name.StartsWith("Search", StringComparison.Ordinal)))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Name}: {r.Note}");
        }
        foreach (var r in results.Where(r => !r.Name.StartsWith("Search", StringComparison.Ordinal)))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Name}: {r.Note}");
        }
        return sb.ToString();
    }

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";

    private static string Ratio(double api, double raw) => raw > 0 ? (api / raw).ToString("F1", CultureInfo.InvariantCulture) + "×" : "–";

    /// <summary>The machine is shared: other work running at the same time shows up here.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
