using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.Core.Data;

/// <summary>
/// Database housekeeping a few times a second on a connection of its own, so that no request or batch
/// pays for it inside its commit (<see cref="SqliteCheckpointer"/>, <see cref="PostgresSearchIndexCleaner"/>).
/// A round that fails (the database not migrated yet, a restart of the server) is logged once and tried
/// again at the next tick.
/// </summary>
internal abstract partial class DatabaseChore(TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>What the chore does, for the log.</summary>
    protected abstract string What { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    /// <summary>After a failed round: let go of whatever the chore holds, so the next round starts afresh.</summary>
    protected virtual ValueTask ResetAsync() => ValueTask.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                    failing = false;
                }
                catch (DbException e)
                {
                    if (!failing) LogFailed(logger, What, e.Message);
                    failing = true;
                    await ResetAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ResetAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed ({Reason}); trying again every moment until it works.")]
    private static partial void LogFailed(ILogger logger, string what, string reason);
}
