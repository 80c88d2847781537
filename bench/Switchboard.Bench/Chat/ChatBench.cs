using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Core.Data;

namespace Switchboard.Bench.Chat;

internal sealed record ChatBenchSettings(
    DatabaseProvider Provider, string ConnectionString, int Conversations, int Rate, int Seconds, int Idle, int Agents, string? HostPath, string Out,
    int WarmupSeconds = 5);

/// <summary>
/// Live chat under load: N visitors with a live chat each, agents answering, messages both ways at
/// a fixed total rate (half each way). Latency is from the sender's call to the other side's
/// receipt, both in this process. The host stores each line before it relays it, so every
/// measured message is persisted. Then the most idle visitor connections, with the host's memory.
/// The same load runs against a bare SignalR relay (no database, no checks) in its own process, then
/// against the same relay storing each line with one committed INSERT before relaying it.
/// </summary>
internal static class ChatBench
{
    private const string Origin = "http://bench.invalid";

    public static async Task<int> RunAsync(ChatBenchSettings s)
    {
        var environment = new Dictionary<string, string>
        {
            ["Chat__StartsPerMinutePerAddress"] = "1000000",
            ["Chat__VisitorMessagesPer10Seconds"] = "10000",
            ["Chat__RoutingInterval"] = "00:00:00.200",
            ["Switchboard__RateLimits__SignInPerMinute"] = "100000",
            ["Email__RunWorkers"] = "false",
        };
        var report = new StringBuilder();
        Result host;
        IdleResult hostIdle;
        var hostLog = Path.Combine(Path.GetTempPath(), $"switchboard-chat-bench-host-{Environment.ProcessId}.log");
        await using (var process = await HostProcess.StartAsync(s.Provider, s.ConnectionString, s.HostPath, 1800, environment, hostLog))
        {
            host = await HostLoadAsync(process.BaseAddress, s, HostPid(process.WrapperProcessId));
            Runner.Log($"Host: visitor → agent p50 {P(host.VisitorToAgent, 50):N1} ms p99 {P(host.VisitorToAgent, 99):N1} ms; agent → visitor p50 {P(host.AgentToVisitor, 50):N1} ms p99 {P(host.AgentToVisitor, 99):N1} ms; CPU {host.CpuSeconds:N1} s for {host.Sent:N0} lines; load {host.LoadAverage}");
            hostIdle = await IdleAsync(process.BaseAddress, "/hubs/chat/visitor?key=" + host.WidgetKey, s.Idle, HostPid(process.WrapperProcessId), true);
        }
        Runner.Log($"Host log: {hostLog}");
        Result relay;
        IdleResult relayIdle;
        await using (var process = await RelayProcess.StartAsync())
        {
            relay = await RelayLoadAsync(process.BaseAddress, s, process.Pid);
            relayIdle = await IdleAsync(process.BaseAddress, "/relay", s.Idle, process.Pid, false);
        }
        Result storing;
        await using (var process = await RelayProcess.StartAsync(s.Provider, s.ConnectionString))
        {
            storing = await RelayLoadAsync(process.BaseAddress, s, process.Pid);
        }
        Runner.Log($"Storing relay: visitor → agent p50 {P(storing.VisitorToAgent, 50):N1} ms p99 {P(storing.VisitorToAgent, 99):N1} ms");

        var synchronous = s.Provider == DatabaseProvider.Sqlite
            ? $", SQLite synchronous={(Environment.GetEnvironmentVariable("Database__SqliteSynchronous") is { Length: > 0 } v ? v.ToUpperInvariant() : "FULL")}"
            : "";
        report.AppendLine(CultureInfo.InvariantCulture, $"Chat benchmark, {s.Provider}{synchronous}, {s.Conversations:N0} conversations, {s.Rate:N0} messages/s for {s.Seconds} s after {s.WarmupSeconds} s of the same load unmeasured, {s.Agents} agents, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine("| | host p50 | host p99 | relay p50 | relay p99 | p99 ratio | delivered (host / relay) |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        Row(report, "visitor → agent", host.VisitorToAgent, relay.VisitorToAgent, host.Sent / 2, relay.Sent / 2);
        Row(report, "agent → visitor", host.AgentToVisitor, relay.AgentToVisitor, host.Sent - (host.Sent / 2), relay.Sent - (relay.Sent / 2));
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Achieved send rate: host {host.Sent / (double)s.Seconds:N0}/s, relay {relay.Sent / (double)s.Seconds:N0}/s. Chats started and taken: {host.Started:N0} in {host.SetUp.TotalSeconds:N1} s.");
        report.AppendLine();
        report.AppendLine("The same relay storing each line first (one INSERT committed per line into a plain table with a unique client id, same database engine and settings as the host): the least a relay needs to keep every line before relaying it.");
        report.AppendLine();
        report.AppendLine("| | host p50 | host p99 | storing relay p50 | storing relay p99 | host p99 ÷ storing relay p99 | storing relay p99 ÷ relay p99 | delivered (storing relay) |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        StoredRow(report, "visitor → agent", host.VisitorToAgent, storing.VisitorToAgent, relay.VisitorToAgent, storing.Sent / 2);
        StoredRow(report, "agent → visitor", host.AgentToVisitor, storing.AgentToVisitor, relay.AgentToVisitor, storing.Sent - (storing.Sent / 2));
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Server CPU while sending (user + system): host {host.CpuSeconds:N1} s = {host.CpuSeconds * 1000 / Math.Max(host.Sent, 1):N2} s per 1,000 lines; relay {relay.CpuSeconds:N1} s = {relay.CpuSeconds * 1000 / Math.Max(relay.Sent, 1):N2} s per 1,000 lines ({host.CpuSeconds / Math.Max(relay.CpuSeconds, 0.001):N1}×); storing relay {storing.CpuSeconds * 1000 / Math.Max(storing.Sent, 1):N2} s per 1,000 lines (not counting the PostgreSQL server). Load average (1 min) at the end of the host run {host.LoadAverage}, of the relay run {relay.LoadAverage}.");
        report.AppendLine();
        report.AppendLine("| idle visitor connections | host | relay |");
        report.AppendLine("|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| held (of {s.Idle:N0} asked) | {hostIdle.Held:N0} | {relayIdle.Held:N0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| server memory before → after (RSS) | {hostIdle.RssBeforeMb:N0} → {hostIdle.RssAfterMb:N0} MB | {relayIdle.RssBeforeMb:N0} → {relayIdle.RssAfterMb:N0} MB |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| per connection | {PerConnection(hostIdle):N1} KB | {PerConnection(relayIdle):N1} KB |");
        Console.WriteLine(report);
        Directory.CreateDirectory(s.Out);
        var file = Path.Combine(s.Out, $"latest-chat-{s.Provider.ToString().ToLowerInvariant()}.md");
        await File.WriteAllTextAsync(file, report.ToString());
        Runner.Log($"Wrote {file}");
        return 0;
    }

    private static double PerConnection(IdleResult r) => r.Held == 0 ? 0 : (r.RssAfterMb - r.RssBeforeMb) * 1024.0 / r.Held;

    private static void Row(StringBuilder report, string name, List<double> host, List<double> relay, int hostSent, int relaySent) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {P(host, 50):N1} ms | {P(host, 99):N1} ms | {P(relay, 50):N1} ms | {P(relay, 99):N1} ms | {P(host, 99) / Math.Max(P(relay, 99), 0.001):N1}× | {host.Count:N0}/{hostSent:N0} / {relay.Count:N0}/{relaySent:N0} |");

    private static void StoredRow(StringBuilder report, string name, List<double> host, List<double> storing, List<double> relay, int storingSent) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {P(host, 50):N1} ms | {P(host, 99):N1} ms | {P(storing, 50):N1} ms | {P(storing, 99):N1} ms | {P(host, 99) / Math.Max(P(storing, 99), 0.001):N1}× | {P(storing, 99) / Math.Max(P(relay, 99), 0.001):N1}× | {storing.Count:N0}/{storingSent:N0} |");

    private static double P(List<double> values, int percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private sealed record Result(List<double> VisitorToAgent, List<double> AgentToVisitor, int Sent, int Started, TimeSpan SetUp, string WidgetKey, double CpuSeconds, string LoadAverage);

    private sealed record IdleResult(int Held, double RssBeforeMb, double RssAfterMb);

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static double Ms(long since) => Stopwatch.GetElapsedTime(since).TotalMilliseconds;

    private static async Task<Result> HostLoadAsync(Uri baseAddress, ChatBenchSettings s, int pid)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var token = (await (await http.PostAsJsonAsync("/api/v1/auth/token", new { email = Dataset.AdminEmail, password = Dataset.AdminPassword })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var dept = await PostAsync(http, "/api/v1/departments", new { name = "Chat bench " + NewId()[..6] });
        var widget = await PostAsync(http, "/api/v1/chat/widgets", new
        {
            name = "Bench",
            departmentId = dept.GetProperty("id").GetInt64(),
            allowedOrigins = new[] { Origin },
            ringTimeoutSeconds = 600,
            maxQueueWaitSeconds = 3600,
        });
        var key = widget.GetProperty("publicKey").GetString()!;

        var sentAt = new ConcurrentDictionary<string, long>();
        var toAgent = new ConcurrentBag<double>();
        var toVisitor = new ConcurrentBag<double>();
        var taken = 0;
        var agents = new List<HubConnection>();
        var chatAgent = new ConcurrentDictionary<long, HubConnection>();
        var capacity = (s.Conversations / s.Agents) + 10;
        // Agents take offers a few at a time, as people do: thousands of accepts at once only measure the connection pool.
        using var accepting = new SemaphoreSlim(8);
        for (var i = 0; i < s.Agents; i++)
        {
            var email = $"bench-agent-{NewId()}@bench.invalid";
            var agent = await PostAsync(http, "/api/v1/agents", new { email, name = $"Agent {i}", password = "bench agent password", role = "agent", departmentIds = new[] { dept.GetProperty("id").GetInt64() } });
            (await http.PatchAsJsonAsync($"/api/v1/agents/{agent.GetProperty("id").GetInt64()}", new { capacities = new Dictionary<string, int> { ["chat"] = capacity } })).EnsureSuccessStatusCode();
            var agentToken = (await (await http.PostAsJsonAsync("/api/v1/auth/token", new { email, password = "bench agent password" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            using var agentHttp = new HttpClient { BaseAddress = baseAddress };
            agentHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", agentToken);
            (await agentHttp.PutAsJsonAsync("/api/v1/agents/me/availability", new { availability = "online" })).EnsureSuccessStatusCode();
            var hub = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/chat/agent"), o =>
            {
                o.Headers["Authorization"] = "Bearer " + agentToken;
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
            }).Build();
            hub.On<JsonElement>("Offered", offer =>
            {
                var id = offer.GetProperty("chat").GetProperty("id").GetInt64();
                _ = Task.Run(async () =>
                {
                    await accepting.WaitAsync();
                    try
                    {
                        await hub.InvokeAsync<JsonElement>("Accept", id);
                        chatAgent[id] = hub;
                        Interlocked.Increment(ref taken);
                    }
                    catch (Microsoft.AspNetCore.SignalR.HubException)
                    {
                        // Rang out or taken elsewhere meanwhile: the router offers it again.
                    }
                    finally
                    {
                        accepting.Release();
                    }
                });
            });
            hub.On<long, JsonElement>("Line", (_, line) =>
            {
                if (line.GetProperty("sender").GetString() == "visitor" && sentAt.TryRemove(line.GetProperty("clientId").GetString()!, out var at)) toAgent.Add(Ms(at));
            });
            await hub.StartAsync();
            agents.Add(hub);
        }

        var setUp = Stopwatch.StartNew();
        var visitors = new HubConnection[s.Conversations];
        var chatIds = new long[s.Conversations];
        using (var gate = new SemaphoreSlim(32))
        {
            await Task.WhenAll(Enumerable.Range(0, s.Conversations).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var hub = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/chat/visitor?key=" + key), o =>
                    {
                        o.Headers["Origin"] = Origin;
                        o.SkipNegotiation = true;
                        o.Transports = HttpTransportType.WebSockets;
                    }).Build();
                    hub.On<JsonElement>("Line", line =>
                    {
                        if (line.GetProperty("sender").GetString() == "agent" && sentAt.TryRemove(line.GetProperty("clientId").GetString()!, out var at)) toVisitor.Add(Ms(at));
                    });
                    await hub.StartAsync();
                    var state = await hub.InvokeAsync<JsonElement>("Start", new Dictionary<string, object?>
                    {
                        ["token"] = NewId() + NewId(),
                        ["name"] = $"Visitor {i}",
                        ["clientId"] = NewId(),
                        ["text"] = "Hello, I need help with order " + i,
                    });
                    chatIds[i] = state.GetProperty("conversationId").GetInt64();
                    visitors[i] = hub;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        while (Volatile.Read(ref taken) < s.Conversations && setUp.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(100);
        setUp.Stop();
        Runner.Log($"Host: {taken:N0} of {s.Conversations:N0} chats started and taken in {setUp.Elapsed.TotalSeconds:N1} s");

        Task Send(int i, bool visitorSide, bool measured)
        {
            var clientId = NewId();
            if (measured) sentAt[clientId] = Stopwatch.GetTimestamp();
            return visitorSide
                ? visitors[i].InvokeAsync<JsonElement>("Send", clientId, "Where is my parcel? 我的包裹在哪里？ " + clientId[..6])
                : chatAgent.TryGetValue(chatIds[i], out var agent)
                    ? agent.InvokeAsync<JsonElement>("Send", chatIds[i], clientId, "It is on its way. Nasa daan na. " + clientId[..6])
                    : Task.FromResult(default(JsonElement));
        }
        await WarmUpAsync(s, (i, visitorSide) => Send(i, visitorSide, false));
        var cpuBefore = CpuSeconds(pid);
        var sent = await PaceAsync(s, (i, visitorSide) => Send(i, visitorSide, true));
        await Task.Delay(3000);
        var cpu = CpuSeconds(pid) - cpuBefore;
        var load = LoadAverage();
        foreach (var v in visitors.Where(v => v is not null)) await v.DisposeAsync();
        foreach (var a in agents) await a.DisposeAsync();
        return new Result([.. toAgent], [.. toVisitor], sent, taken, setUp.Elapsed, key, cpu, load);
    }

    private static async Task<Result> RelayLoadAsync(Uri baseAddress, ChatBenchSettings s, int pid)
    {
        var sentAt = new ConcurrentDictionary<string, long>();
        var toAgent = new ConcurrentBag<double>();
        var toVisitor = new ConcurrentBag<double>();
        var agents = new List<HubConnection>();
        for (var i = 0; i < s.Agents; i++)
        {
            var hub = Relay(baseAddress);
            hub.On<string, string>("Line", (clientId, _) =>
            {
                if (sentAt.TryRemove(clientId, out var at)) toAgent.Add(Ms(at));
            });
            await hub.StartAsync();
            agents.Add(hub);
        }
        var setUp = Stopwatch.StartNew();
        var visitors = new HubConnection[s.Conversations];
        using (var gate = new SemaphoreSlim(32))
        {
            await Task.WhenAll(Enumerable.Range(0, s.Conversations).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var hub = Relay(baseAddress);
                    hub.On<string, string>("Line", (clientId, _) =>
                    {
                        if (sentAt.TryRemove(clientId, out var at)) toVisitor.Add(Ms(at));
                    });
                    await hub.StartAsync();
                    await hub.InvokeAsync("Join", "c" + i);
                    await agents[i % agents.Count].InvokeAsync("Join", "c" + i);
                    visitors[i] = hub;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        setUp.Stop();
        Task Send(int i, bool visitorSide, bool measured)
        {
            var clientId = NewId();
            if (measured) sentAt[clientId] = Stopwatch.GetTimestamp();
            var from = visitorSide ? visitors[i] : agents[i % agents.Count];
            return from.InvokeAsync<string>("Send", "c" + i, clientId, visitorSide ? "Where is my parcel? 我的包裹在哪里？" : "It is on its way. Nasa daan na.");
        }
        await WarmUpAsync(s, (i, visitorSide) => Send(i, visitorSide, false));
        var cpuBefore = CpuSeconds(pid);
        var sent = await PaceAsync(s, (i, visitorSide) => Send(i, visitorSide, true));
        await Task.Delay(3000);
        var cpu = CpuSeconds(pid) - cpuBefore;
        var load = LoadAverage();
        foreach (var v in visitors) await v.DisposeAsync();
        foreach (var a in agents) await a.DisposeAsync();
        return new Result([.. toAgent], [.. toVisitor], sent, s.Conversations, setUp.Elapsed, "", cpu, load);
    }

    private static HubConnection Relay(Uri baseAddress) => new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/relay"), o =>
    {
        o.SkipNegotiation = true;
        o.Transports = HttpTransportType.WebSockets;
    }).Build();

    /// <summary>
    /// The same load, unmeasured, for <see cref="ChatBenchSettings.WarmupSeconds"/>: a server that has just started runs
    /// its code unoptimised for the first seconds, which a running help desk (or relay) is long past.
    /// </summary>
    private static async Task WarmUpAsync(ChatBenchSettings s, Func<int, bool, Task> send)
    {
        if (s.WarmupSeconds <= 0) return;
        await PaceAsync(s with { Seconds = s.WarmupSeconds }, send);
        await Task.Delay(1000);
    }

    /// <summary>Sends at a fixed total rate, alternating visitor and agent, on random conversations; returns how many went out.</summary>
    private static async Task<int> PaceAsync(ChatBenchSettings s, Func<int, bool, Task> send)
    {
        var random = new Random(42);
        var sent = 0;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (clock.Elapsed < TimeSpan.FromSeconds(s.Seconds) && await timer.WaitForNextTickAsync())
        {
            var due = (int)(clock.Elapsed.TotalSeconds * s.Rate) - sent;
            for (var k = 0; k < due; k++)
            {
                var task = send(random.Next(s.Conversations), sent % 2 == 0);
                pending.Add(task.ContinueWith(t =>
                {
                    if (!t.IsCompletedSuccessfully) Interlocked.Increment(ref failed);
                }, TaskScheduler.Default));
                sent++;
            }
        }
        await Task.WhenAll(pending);
        if (failed > 0) Runner.Log($"{failed:N0} sends failed");
        return sent;
    }

    /// <summary>Opens idle visitor WebSockets (SignalR handshake, then pings only) and reads the server's memory.</summary>
    private static async Task<IdleResult> IdleAsync(Uri baseAddress, string path, int count, int pid, bool withOrigin)
    {
        GC.Collect();
        await Task.Delay(2000);
        // Both ends need a file descriptor per connection; the process limit caps what one machine can show.
        var limit = FileLimit();
        if (count > limit - 500)
        {
            Runner.Log($"Only {limit - 500:N0} idle connections fit under this machine's open-file limit of {limit:N0}; opening that many instead of {count:N0}.");
            count = limit - 500;
        }
        var before = RssMb(pid);
        var sockets = new ConcurrentBag<ClientWebSocket>();
        var uri = new Uri(new Uri(baseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal)), path);
        var handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
        var failures = 0;
        using (var gate = new SemaphoreSlim(64))
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                await gate.WaitAsync();
                try
                {
                    var ws = new ClientWebSocket();
                    ws.Options.KeepAliveInterval = TimeSpan.Zero;
                    if (withOrigin) ws.Options.SetRequestHeader("Origin", Origin);
                    await ws.ConnectAsync(uri, CancellationToken.None);
                    await ws.SendAsync(handshake, WebSocketMessageType.Text, true, CancellationToken.None);
                    var buffer = new byte[256];
                    await ws.ReceiveAsync(buffer, CancellationToken.None);
                    sockets.Add(ws);
                }
                catch (Exception e) when (e is WebSocketException or IOException or HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        // Hold them past one server keep-alive, answering with pings as a client must.
        var ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
        await Task.Delay(5000);
        await Task.WhenAll(sockets.Select(async ws =>
        {
            try
            {
                await ws.SendAsync(ping, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }));
        await Task.Delay(5000);
        var after = RssMb(pid);
        var held = sockets.Count(ws => ws.State == WebSocketState.Open);
        Runner.Log($"Idle: {held:N0} of {count:N0} held ({failures:N0} failed to open), RSS {before:N0} → {after:N0} MB");
        foreach (var ws in sockets) ws.Abort();
        foreach (var ws in sockets) ws.Dispose();
        return new IdleResult(held, before, after);
    }

    private static int FileLimit()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                return int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture);
            }
        }
        return 1024;
    }

    private static int HostPid(int wrapper)
    {
        var children = File.ReadAllText($"/proc/{wrapper}/task/{wrapper}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(children[0], CultureInfo.InvariantCulture);
    }

    /// <summary>User + system CPU seconds the process has used (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static double RssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
