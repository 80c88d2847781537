using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Events;
using Switchboard.Core.Model;

namespace Switchboard.Automation.Assignment;

/// <summary>
/// Runs auto-assignment after saves in this process (a new ticket, a ticket moved or resolved), at
/// once when an agent comes online (they take the waiting backlog up to their capacity), and
/// every <see cref="AutomationOptions.AssignmentInterval"/> for changes made on other nodes.
/// </summary>
internal sealed class AssignmentWorker(
    IServiceScopeFactory scopes, [FromKeyedServices(AutomationSignal.Assignment)] AutomationSignal signal, AgentPresence presence,
    IOptions<AutomationOptions> options, ILogger<AssignmentWorker> logger) : BackgroundService
{
    /// <summary>Saves come in bursts; one pass a moment later covers the whole burst.</summary>
    private static readonly TimeSpan PassSpacing = TimeSpan.FromMilliseconds(300);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        presence.Changed += OnPresenceChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunPassAsync(stoppingToken);
                    await Task.Delay(PassSpacing, stoppingToken);
                    await signal.WaitAsync(options.Value.AssignmentInterval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Nothing of a failed department was committed; the next pass tries again.
                    logger.LogError(e, "Auto-assignment failed; trying again shortly.");
                    await Task.Delay(options.Value.AssignmentInterval, stoppingToken);
                }
            }
        }
        finally
        {
            presence.Changed -= OnPresenceChanged;
        }
    }

    private void OnPresenceChanged(long agentId, AgentAvailability availability)
    {
        if (availability == AgentAvailability.Online) signal.Notify();
    }

    internal async Task<int> RunPassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var assigner = ActivatorUtilities.CreateInstance<Assigner>(scope.ServiceProvider);
        return await assigner.RunPassAsync(options.Value.AssignmentBatchSize, ct);
    }
}
