using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Events;

namespace Switchboard.Core.Nodes;

public static class NodeBusSetup
{
    /// <summary>
    /// Registers the <see cref="INodeBus"/> (LISTEN/NOTIFY on PostgreSQL unless
    /// <c>Switchboard:NodeBus:Enabled</c> is false; a single-node bus on SQLite) and
    /// <see cref="TicketPresence"/> with its heartbeat.
    /// </summary>
    public static IServiceCollection AddNodeBus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NodeBusOptions>().BindConfiguration(NodeBusOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.PresenceLifetime > o.HeartbeatInterval * 2, "Switchboard:NodeBus:PresenceLifetime must be more than twice the HeartbeatInterval, or viewers flicker away between heartbeats.")
            .ValidateOnStart();
        var provider = DatabaseSetup.ReadProvider(configuration);
        var enabled = configuration.GetValue($"{NodeBusOptions.Section}:Enabled", true);
        if (provider == DatabaseProvider.Postgres && enabled)
        {
            services.AddSingleton(sp => new PostgresNodeBus(
                DatabaseSetup.ResolveConnectionString(sp.GetRequiredService<IConfiguration>(), DatabaseProvider.Postgres),
                sp.GetRequiredService<ILogger<PostgresNodeBus>>()));
            services.AddSingleton<INodeBus>(sp => sp.GetRequiredService<PostgresNodeBus>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresNodeBus>());
            // Registered after the bus, so it stops first and its goodbye is still sent.
            services.AddHostedService<PresenceHeartbeatWorker>();
        }
        else
        {
            services.AddSingleton<INodeBus, SingleNodeBus>();
        }
        services.AddSingleton<TicketPresence>();
        return services;
    }
}

/// <summary>Repeats this node's viewers to the other nodes and forgets theirs when they go quiet.</summary>
internal sealed class PresenceHeartbeatWorker(TicketPresence presence, INodeBus bus, TimeProvider time, IOptions<NodeBusOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // After a reconnect this node may have missed joins and leaves; the others repeat theirs at once.
        bus.Connected += presence.AskForHeartbeats;
        presence.AskForHeartbeats();
        try
        {
            using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                presence.Heartbeat();
                presence.Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            bus.Connected -= presence.AskForHeartbeats;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        presence.Goodbye();
    }
}
