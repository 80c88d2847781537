using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Switchboard.Chat;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Chat;

/// <summary>The host for chat tests: every test starts chats from the same (absent) address, so the per-address limit is lifted.</summary>
public sealed class SqliteChatFactory() : SwitchboardFactory(DatabaseProvider.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ChatKit.Configure(builder);
    }
}

public sealed class PostgresChatFactory() : SwitchboardFactory(DatabaseProvider.Postgres)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        ChatKit.Configure(builder);
    }
}

/// <summary>What a chat client heard, in order; tests wait for the event they expect.</summary>
public sealed class Heard
{
    private readonly ConcurrentQueue<(string Name, object?[] Args)> _events = new();

    public void Add(string name, params object?[] args) => _events.Enqueue((name, args));

    public IReadOnlyList<T> All<T>(string name) => _events.Where(e => e.Name == name).Select(e => (T)e.Args[0]!).ToList();

    public async Task<T> WaitAsync<T>(string name, Func<T, bool>? match = null, int index = 0, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < until)
        {
            var found = _events.Where(e => e.Name == name).Select(e => (T)e.Args[index]!).Where(v => match?.Invoke(v) ?? true).ToList();
            if (found.Count > 0) return found[0];
            await Task.Delay(20);
        }
        throw new TimeoutException($"No {name} event arrived; heard: {string.Join(", ", _events.Select(e => e.Name))}");
    }
}

public sealed record Widget(long Id, string Key, string Secret);

public static class ChatKit
{
    public const string Origin = "https://shop.example.test";

    public static void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Chat:StartsPerMinutePerAddress", "100000");
        builder.UseSetting("Chat:RoutingInterval", "00:00:00.200");
    }

    public static async Task<Widget> CreateWidgetAsync(HttpClient admin, long? departmentId, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Shop " + Guid.NewGuid().ToString("N")[..6],
            ["departmentId"] = departmentId,
            ["allowedOrigins"] = new[] { Origin },
            ["ringTimeoutSeconds"] = 30,
            ["maxQueueWaitSeconds"] = 120,
        };
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra).EnumerateObject()) body[p.Name] = p.Value;
        }
        var created = await admin.PostAsJsonAsync("/api/v1/chat/widgets", body).ShouldBeAsync(HttpStatusCode.Created);
        return new Widget(created.Id(), created.Str("publicKey"), created.Str("identitySecret"));
    }

    /// <summary>A visitor's connection to the hub, as the widget on <paramref name="origin"/> opens it.</summary>
    public static async Task<(HubConnection Hub, Heard Heard)> VisitorAsync(SwitchboardFactory factory, string key, string origin = Origin)
    {
        var heard = new Heard();
        var hub = Build(factory, $"{ChatModule.VisitorHubPath}?key={key}", origin, null);
        hub.On<ChatLineDto>("Line", l => heard.Add("Line", l));
        hub.On<VisitorState>("State", s => heard.Add("State", s));
        hub.On<bool>("AgentTyping", t => heard.Add("AgentTyping", t));
        hub.On<long>("Read", r => heard.Add("Read", r));
        await hub.StartAsync();
        return (hub, heard);
    }

    public static async Task<(HubConnection Hub, Heard Heard)> AgentAsync(SwitchboardFactory factory, HttpClient agentClient)
    {
        var heard = new Heard();
        var hub = Build(factory, ChatModule.AgentHubPath, null, agentClient.DefaultRequestHeaders.Authorization!.Parameter);
        hub.On<ChatOfferDto>("Offered", o => heard.Add("Offered", o));
        hub.On<long>("OfferWithdrawn", id => heard.Add("OfferWithdrawn", id));
        hub.On<ChatSummaryDto>("Assigned", c => heard.Add("Assigned", c));
        hub.On<long, ChatLineDto>("Line", (id, l) => heard.Add("Line", l, id));
        hub.On<long, string>("VisitorTyping", (id, p) => heard.Add("VisitorTyping", p, id));
        hub.On<ChatSummaryDto>("VisitorUpdated", c => heard.Add("VisitorUpdated", c));
        hub.On<long, long>("ReadByVisitor", (id, r) => heard.Add("ReadByVisitor", r, id));
        hub.On<long, string>("Ended", (id, by) => heard.Add("Ended", by, id));
        await agentClient.PutAsJsonAsync("/api/v1/agents/me/availability", new { availability = "online" }).ShouldBeAsync(HttpStatusCode.OK);
        await hub.StartAsync();
        return (hub, heard);
    }

    private static HubConnection Build(SwitchboardFactory factory, string path, string? origin, string? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, path), o =>
            {
                o.SkipNegotiation = true;
                o.Transports = HttpTransportType.WebSockets;
                o.WebSocketFactory = async (context, ct) =>
                {
                    var client = factory.Server.CreateWebSocketClient();
                    client.ConfigureRequest = r =>
                    {
                        if (origin is not null) r.Headers.Origin = origin;
                        if (token is not null) r.Headers.Authorization = "Bearer " + token;
                    };
                    return await client.ConnectAsync(context.Uri, ct);
                };
            })
            .Build();

    public static Dictionary<string, object?> StartRequest(
        string text = "Hello, is my order shipped?", string name = "Vera Visitor", string? email = null, object? identity = null, object? fields = null) => new()
        {
            ["token"] = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            ["name"] = name,
            ["email"] = email,
            ["fields"] = fields,
            ["clientId"] = NewId(),
            ["text"] = text,
            ["identity"] = identity,
            ["page"] = new { url = "https://shop.example.test/pricing", title = "Pricing", referrer = "https://search.example/?q=shop", locale = "en" },
        };

    public static string NewId() => Guid.NewGuid().ToString("N");
}
