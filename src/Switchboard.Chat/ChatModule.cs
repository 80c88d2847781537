using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Core.Data;
using Switchboard.Core.Events;

namespace Switchboard.Chat;

/// <summary>Live chat: the widget and its hub for visitors, the agent hub, routing, widget settings.</summary>
public static class ChatModule
{
    public const string VisitorHubPath = "/hubs/chat/visitor";
    public const string AgentHubPath = "/hubs/chat/agent";
    internal const string WidgetItem = "chat.widget";

    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RoutingInterval > TimeSpan.Zero, "Chat:RoutingInterval must be positive.").ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddSignalR(o => o.AddFilter<ChatHubFilter>())
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.PropertyNameCaseInsensitive = true;
                o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            })
            .AddHubOptions<VisitorHub>(o => o.MaximumReceiveMessageSize = 32 * 1024)
            // An agent answers many chats over one connection; their lines must not wait for each other. Each call
            // waits for its line's group commit, so a connection needs as many calls in flight as lines it sends
            // while one commit runs: at 32, a busy agent's lines queued behind their own (bench/README.md, "Chat").
            .AddHubOptions<AgentHub>(o => o.MaximumParallelInvocationsPerClient = 128);
        builder.Services.AddSingleton<ChatHubFilter>();
        builder.Services.AddSingleton<ChatNotifier>();
        builder.Services.AddSingleton<ChatPresence>();
        builder.Services.AddSingleton(sp => new ChatListeners(sp.GetRequiredService<ChatPresence>(), sp.GetRequiredService<ChatSignal>()));
        builder.Services.AddSingleton<ChatAssignments>();
        builder.Services.AddSingleton<ChatSignal>();
        builder.Services.AddSingleton<ChatStartLimiter>();
        builder.Services.AddSingleton<WidgetCache>();
        builder.Services.AddSingleton<ChatRouter>();
        builder.Services.AddSingleton<ChatLineWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatLineWriter>());
        builder.Services.AddScoped<VisitorChats>();
        builder.Services.AddScoped<AgentChats>();
        builder.Services.AddScoped(sp => new ChatWidgetAdmin(sp.GetRequiredService<SwitchboardDb>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WidgetCache>(), sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddScoped(sp => new ChatDesk(sp.GetRequiredService<AgentChats>()));
        builder.Services.AddScoped<IAgentMessageHook, ChatReplyHook>();
        builder.Services.AddSingleton<IReplyChannel, ChatReplyChannel>();
        if (builder.Configuration.GetValue($"{ChatOptions.Section}:RunRouter", true))
        {
            builder.Services.AddHostedService<ChatRoutingWorker>();
        }
        return builder;
    }

    /// <summary>Hubs, the widget script, and the chat API under <paramref name="api"/>.</summary>
    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        app.MapHub<VisitorHub>(VisitorHubPath, o => o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets)
            .Add(endpoint =>
            {
                // The widget key and the embedding site are checked before a connection is accepted.
                var inner = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = async http =>
                {
                    if (await PublicChatApi.AdmitAsync(http) is { } widget)
                    {
                        http.Items[WidgetItem] = widget;
                        await inner(http);
                    }
                };
            });
        app.MapHub<AgentHub>(AgentHubPath);
        PublicChatApi.MapScript(app);
        PublicChatApi.Map(api);
        WidgetsApi.Map(api);
        ChatApi.Map(api);
        return app;
    }

    /// <summary>One routing pass now (tests and tools; the worker runs them on its own otherwise).</summary>
    public static Task RouteChatsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<ChatRouter>().PassAsync(ct);
    }

    internal static SwitchboardDb Db(this HttpContext http) => http.RequestServices.GetRequiredService<SwitchboardDb>();
}
