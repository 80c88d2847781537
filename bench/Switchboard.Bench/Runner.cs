using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Switchboard.Core.Data;

namespace Switchboard.Bench;

internal sealed record RunSettings(
    DatabaseProvider Provider, string ConnectionString, TimeSpan Duration, int Requests, int Warmup, int Concurrency, int DeepPages,
    string? HostPath, string OutputDirectory, IReadOnlySet<string> Scenarios)
{
    /// <summary>
    /// Each scenario's warm-up lasts at least this long (and <see cref="Warmup"/> calls): a host that has served a
    /// few dozen requests still runs much of its code unoptimised, while a running help desk is long past that.
    /// </summary>
    public TimeSpan WarmupTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The scenario groups <c>--scenarios</c> may name; all of them by default.</summary>
    public static readonly string[] AllScenarios = ["floor", "open", "list", "search", "throughput"];

    public bool Wants(string scenario) => Scenarios.Contains(scenario);
}

/// <summary>One measured scenario: the API's latencies beside the bare queries'.</summary>
internal sealed record ScenarioResult(string Name, string Target, double TargetMs, Samples Api, Samples Raw, string Note);

internal sealed record ThroughputResult(
    int Workers, TimeSpan Duration, long ApiRequests, long ApiErrors, Samples ApiLatency, long RawRequests, Samples RawLatency,
    long FloorRequests, long FloorErrors, Samples FloorLatency, double ApiHostCpuSeconds, double FloorHostCpuSeconds)
{
    /// <summary>CPU time the host process used per request while it was measured (user + system, all threads).</summary>
    public double ApiCpuMsPerRequest => ApiHostCpuSeconds * 1000 / Math.Max(1, ApiRequests);

    public double FloorCpuMsPerRequest => FloorHostCpuSeconds * 1000 / Math.Max(1, FloorRequests);

    public double FloorPerSecond => FloorRequests / Duration.TotalSeconds;

    public double ApiPerSecond => ApiRequests / Duration.TotalSeconds;

    public double RawPerSecond => RawRequests / Duration.TotalSeconds;
}

/// <summary>
/// The run command: starts the host as a child process on 127.0.0.1, signs in, and for each
/// scenario runs a warm-up and then sequential requests (bounded in count and time), then the
/// same statements directly against the database; finally a bounded concurrent phase for list
/// throughput.
/// </summary>
internal static class Runner
{
    private const int PageSize = 25;

    public static async Task<int> RunAsync(RunSettings settings)
    {
        var info = await Db.Loader(settings.Provider, settings.ConnectionString).ExistingAsync()
            ?? throw new ArgumentException("The database holds no generated dataset; run the generate command first.");
        var loadBefore = Report.LoadAverage();
        var raw = new RawQueries(settings.Provider, settings.ConnectionString);
        var serverVersion = await raw.ServerVersionAsync();
        Log($"Dataset: {info.Size.Tickets:N0} tickets, {info.Messages:N0} messages, {info.SearchEntries:N0} search entries ({serverVersion})");

        await using var host = await HostProcess.StartAsync(settings.Provider, settings.ConnectionString, settings.HostPath,
            (int)Math.Max(900, settings.Duration.TotalSeconds * 40));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseCookies = false })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var signIn = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = Dataset.AdminEmail, password = Dataset.AdminPassword });
        signIn.EnsureSuccessStatusCode();
        using (var body = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()))
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("token").GetString());
        }

        _hostPid = host.HostProcessId;
        var results = new List<ScenarioResult>();
        Samples? floor = null;
        if (settings.Wants("floor"))
        {
            // The same client, headers and bearer token as every other request; the host answers without touching the database.
            Log("HTTP floor: GET /health/live");
            floor = await SampleAsync(settings, _ => GetAsync(http, "/health/live"), () => HostProcess.CpuSeconds(_hostPid));
            Log($"HTTP floor: p50 {floor.P50:F2} ms, p99 {floor.P99:F2} ms, host CPU {floor.CpuMsPerCall:F3} ms per request");
        }
        var random = new Random(42);
        var ticketIds = Enumerable.Range(0, 10_000).Select(_ => 1 + (long)random.Next(info.Size.Tickets)).ToArray();
        var department = info.DepartmentIds[0];

        if (settings.Wants("open"))
        {
            var open = await MeasureAsync(settings, "Open ticket: GET /tickets/{id}", i => GetAsync(http, $"/api/v1/tickets/{ticketIds[i % ticketIds.Length]}"),
                i => raw.TicketAsync(ticketIds[i % ticketIds.Length]));
            results.Add(new ScenarioResult(open.Name, "p99 ≤ 25 ms", 25, open.Api, open.Raw, "random ticket ids"));
            var messages = await MeasureAsync(settings, "Open ticket: GET /tickets/{id}/messages", i => GetAsync(http, $"/api/v1/tickets/{ticketIds[i % ticketIds.Length]}/messages"),
                i => raw.MessagesAsync(ticketIds[i % ticketIds.Length]));
            results.Add(new ScenarioResult(messages.Name, "p99 ≤ 25 ms", 25, messages.Api, messages.Raw, $"{info.Size.MessagesPerTicket} messages per ticket on average"));
            var both = await MeasureAsync(settings, "Open ticket: both calls", async i =>
                {
                    var id = ticketIds[(i * 7) % ticketIds.Length];
                    await GetAsync(http, $"/api/v1/tickets/{id}");
                    await GetAsync(http, $"/api/v1/tickets/{id}/messages");
                },
                async i =>
                {
                    var id = ticketIds[(i * 7) % ticketIds.Length];
                    await raw.TicketAsync(id);
                    await raw.MessagesAsync(id);
                });
            results.Add(new ScenarioResult(both.Name, "p99 ≤ 25 ms", 25, both.Api, both.Raw, "sequential, one after the other"));
        }

        if (settings.Wants("list"))
        {
            var listPath = $"/api/v1/tickets?status=open&departmentId={department}";
            var first = await MeasureAsync(settings, "List open + department, first page", _ => GetAsync(http, listPath), _ => raw.ListAsync(department, null, PageSize));
            results.Add(new ScenarioResult(first.Name, "p99 ≤ 25 ms", 25, first.Api, first.Raw, $"department {department}, sorted by last update, {PageSize} per page"));

            var (cursor, pages) = await FollowCursorAsync(http, listPath, settings.DeepPages);
            var rawCursor = (UpdatedAt: default(DateTimeOffset), Id: 0L);
            (DateTimeOffset, long)? after = null;
            for (var p = 0; p < pages; p++) after = await raw.ListAsync(department, after, PageSize);
            if (after is { } a) rawCursor = a;
            var deep = await MeasureAsync(settings, $"List open + department, page {pages + 1}", _ => GetAsync(http, $"{listPath}&cursor={cursor}"),
                _ => raw.ListAsync(department, rawCursor, PageSize));
            results.Add(new ScenarioResult(deep.Name, "p99 ≤ 25 ms", 25, deep.Api, deep.Raw, $"cursor after {pages * PageSize:N0} rows"));
        }

        if (settings.Wants("search"))
        {
            foreach (var probe in info.Probes)
            {
                var limitMs = probe.Level == "common" ? 300 : 100;
                var firstPage = await raw.SearchAsync(probe.Word, PageSize);
                var search = await MeasureAsync(settings, $"Search {probe.Language} {probe.Level} '{probe.Word}'",
                    _ => GetAsync(http, $"/api/v1/tickets?q={Uri.EscapeDataString(probe.Word)}"), _ => raw.SearchAsync(probe.Word, PageSize));
                results.Add(new ScenarioResult(search.Name, $"p99 ≤ {limitMs} ms", limitMs, search.Api, search.Raw,
                    $"in {probe.DocumentFrequency:N0} search entries; first page {Math.Min(firstPage, PageSize)} rows"));
            }
        }

        var throughput = settings.Wants("throughput") ? await ThroughputAsync(settings, info, http, raw, host.HostProcessId) : null;
        var report = Report.Render(settings, info, serverVersion, loadBefore, floor, results, throughput);
        Console.WriteLine(report);
        if (RunSettings.AllScenarios.Any(s => !settings.Wants(s)))
        {
            Log("Some scenarios were left out: the report is not written to a file");
            return 0;
        }
        Directory.CreateDirectory(settings.OutputDirectory);
        var file = Path.Combine(settings.OutputDirectory, $"latest-{settings.Provider.ToString().ToLowerInvariant()}.md");
        await File.WriteAllTextAsync(file, report);
        Log($"Wrote {file}");
        return 0;
    }

    private static async Task<(string Name, Samples Api, Samples Raw)> MeasureAsync(RunSettings settings, string name, Func<int, Task> api, Func<int, Task> raw)
    {
        Log($"{name}: API");
        var apiSamples = await SampleAsync(settings, api, () => HostProcess.CpuSeconds(_hostPid));
        Log($"{name}: raw");
        var rawSamples = await SampleAsync(settings, raw, () => Environment.CpuUsage.TotalTime.TotalSeconds);
        Log($"{name}: API p50 {apiSamples.P50:F2} ms, p99 {apiSamples.P99:F2} ms, host CPU {apiSamples.CpuMsPerCall:F3} ms per request; "
            + $"raw p50 {rawSamples.P50:F2} ms, p99 {rawSamples.P99:F2} ms, CPU {rawSamples.CpuMsPerCall:F3} ms per call");
        return (name, apiSamples, rawSamples);
    }

    /// <summary>The host's process id, for its CPU time.</summary>
    private static int _hostPid;

    /// <summary>Warm-up (calls and time), then up to <see cref="RunSettings.Requests"/> sequential calls within <see cref="RunSettings.Duration"/> (at least 5).</summary>
    private static async Task<Samples> SampleAsync(RunSettings settings, Func<int, Task> call, Func<double>? cpuSeconds = null)
    {
        var deadline = Stopwatch.StartNew();
        for (var i = 0; (i < settings.Warmup || deadline.Elapsed < settings.WarmupTime) && deadline.Elapsed < settings.Duration / 4; i++)
        {
            await call(1_000_000 + i);
        }
        var samples = new List<double>(settings.Requests);
        deadline.Restart();
        var cpuBefore = cpuSeconds?.Invoke() ?? 0;
        for (var i = 0; i < settings.Requests && (samples.Count < 5 || deadline.Elapsed < settings.Duration); i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        var cpu = cpuSeconds is null ? double.NaN : (cpuSeconds() - cpuBefore) * 1000 / samples.Count;
        return new Samples(samples) { CpuMsPerCall = cpu };
    }

    private static async Task<ThroughputResult> ThroughputAsync(RunSettings settings, DatasetInfo info, HttpClient http, RawQueries raw, int hostPid)
    {
        var departments = info.DepartmentIds;
        Log($"Throughput: {settings.Concurrency} workers for {settings.Duration.TotalSeconds:F0} s, API");
        var api = await LoadAsync(settings, async i =>
        {
            using var response = await http.GetAsync($"/api/v1/tickets?status=open&departmentId={departments[i % departments.Count]}", HttpCompletionOption.ResponseContentRead);
            return response.StatusCode == HttpStatusCode.OK;
        }, hostPid);
        Log($"Throughput: {settings.Concurrency} workers for {settings.Duration.TotalSeconds:F0} s, raw");
        var direct = await LoadAsync(settings, async i =>
        {
            await raw.ListAsync(departments[i % departments.Count], null, PageSize);
            return true;
        });
        Log($"Throughput: {settings.Concurrency} workers for {settings.Duration.TotalSeconds:F0} s, HTTP floor (GET /health/live)");
        var floor = await LoadAsync(settings, async _ =>
        {
            using var response = await http.GetAsync("/health/live", HttpCompletionOption.ResponseContentRead);
            return response.StatusCode == HttpStatusCode.OK;
        }, hostPid);
        var result = new ThroughputResult(settings.Concurrency, settings.Duration, api.Ok, api.Errors, api.Latency, direct.Ok, direct.Latency,
            floor.Ok, floor.Errors, floor.Latency, api.HostCpuSeconds, floor.HostCpuSeconds);
        Log($"Throughput: API {result.ApiPerSecond:N0}/s ({api.Errors} errors, host CPU {result.ApiCpuMsPerRequest:F3} ms per request), raw {result.RawPerSecond:N0}/s, "
            + $"HTTP floor {result.FloorPerSecond:N0}/s (host CPU {result.FloorCpuMsPerRequest:F3} ms per request)");
        return result;
    }

    private static async Task<(long Ok, long Errors, Samples Latency, double HostCpuSeconds)> LoadAsync(RunSettings settings, Func<int, Task<bool>> call, int? hostPid = null)
    {
        // A short warm-up with the same concurrency fills the connection pools.
        await RunWorkersAsync(settings.Concurrency, TimeSpan.FromSeconds(2), call, null);
        var latencies = new List<double>[settings.Concurrency];
        for (var w = 0; w < latencies.Length; w++) latencies[w] = [];
        var cpuBefore = hostPid is { } before ? HostProcess.CpuSeconds(before) : 0;
        var (ok, errors) = await RunWorkersAsync(settings.Concurrency, settings.Duration, call, latencies);
        var cpu = hostPid is { } after ? HostProcess.CpuSeconds(after) - cpuBefore : double.NaN;
        return (ok, errors, new Samples(latencies.SelectMany(l => l).ToList()), cpu);
    }

    private static async Task<(long Ok, long Errors)> RunWorkersAsync(int workers, TimeSpan duration, Func<int, Task<bool>> call, List<double>[]? latencies)
    {
        long ok = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = w; clock.Elapsed < duration; i += workers)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (await call(i)) Interlocked.Increment(ref ok);
                    else Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
                latencies?[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return (ok, errors);
    }

    /// <summary>Follows nextCursor from the first page; returns the cursor of the page after <paramref name="pages"/> pages.</summary>
    private static async Task<(string Cursor, int Pages)> FollowCursorAsync(HttpClient http, string path, int pages)
    {
        string? cursor = null;
        var followed = 0;
        for (; followed < pages; followed++)
        {
            var json = await GetAsync(http, cursor is null ? path : $"{path}&cursor={cursor}");
            using var doc = JsonDocument.Parse(json);
            var next = doc.RootElement.GetProperty("nextCursor");
            if (next.ValueKind != JsonValueKind.String) break;
            cursor = next.GetString();
        }
        if (cursor is null) throw new InvalidOperationException("The list has a single page; generate more tickets.");
        Log($"Followed {followed} pages of {path}");
        return (cursor, followed);
    }

    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }
        return body;
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

/// <summary>The host as a child process; wrapped in timeout(1) so it stops by itself even if this process dies.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter? _log;

    private HostProcess(Process process, Uri baseAddress, StreamWriter? log)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The id of the timeout(1) wrapper; the host is its child.</summary>
    public int WrapperProcessId => _process.Id;

    /// <summary>The host's own process id (the wrapper's child).</summary>
    public int HostProcessId =>
        int.Parse(File.ReadAllText($"/proc/{WrapperProcessId}/task/{WrapperProcessId}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

    /// <summary>User + system CPU time of a process so far, from /proc (clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name may hold spaces; the fields after it are counted from its closing parenthesis (utime and stime are fields 14 and 15).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Starts the host; <paramref name="environment"/> adds or overrides settings (<c>Section__Key</c>).</summary>
    public static async Task<HostProcess> StartAsync(
        DatabaseProvider provider, string connectionString, string? hostPath, int lifetime, IReadOnlyDictionary<string, string>? environment = null,
        string? logFile = null)
    {
        var dll = hostPath ?? FindHost();
        var port = FreePort();
        var start = new ProcessStartInfo("timeout")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--kill-after=10", lifetime.ToString(CultureInfo.InvariantCulture), "dotnet", dll, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["Switchboard__Admin__Email"] = Dataset.AdminEmail;
        start.Environment["Switchboard__Admin__Password"] = Dataset.AdminPassword;
        start.Environment["Switchboard__DataDirectory"] = Path.Combine(Path.GetTempPath(), $"switchboard-bench-{port}");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        var output = new StringBuilder();
        // Only kept in memory for an error message, unless a log file is asked for.
        var log = logFile is null ? null : new StreamWriter(logFile, append: false) { AutoFlush = true };
        void Collect(string? line)
        {
            lock (output)
            {
                if (log is not null) log.WriteLine(line);
                else if (output.Length < 1 << 20) output.AppendLine(line);
            }
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), log);
        Runner.Log($"Started the host (pid {process.Id}) on {host.BaseAddress}, stopping by itself after {lifetime} s at the latest");

        using var probe = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {process.ExitCode}:\n{output}");
            }
            try
            {
                using var response = await probe.GetAsync("/health");
                if (response.IsSuccessStatusCode) return host;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        await host.DisposeAsync();
        throw new InvalidOperationException($"The host did not answer /health within 3 minutes:\n{output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_log is not null) await _log.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Release build of the host, found from the current folder upwards.</summary>
    private static string FindHost()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Switchboard.Host", "bin", "Release", "net10.0", "Switchboard.Host.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new ArgumentException("Switchboard.Host.dll not found; build it with `dotnet build src/Switchboard.Host -c Release` or pass --host.");
    }
}
