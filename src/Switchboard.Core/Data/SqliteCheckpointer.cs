using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.Core.Data;

/// <summary>
/// Copies SQLite's write-ahead log into the database file a few times a second, on a connection of its
/// own, so no request or batch pays for it. Left to itself SQLite does this inside whichever commit
/// pushes the log past a thousand pages: that commit then also writes and syncs several megabytes of
/// the database file (a quarter of the mail batches took three times as long to commit). The
/// connections keep a far larger limit (<see cref="SqliteConnectionPragmas.AutoCheckpointPages"/>) as a
/// safety net for when this does not run (a one-off command) or falls behind.
/// </summary>
/// <remarks>
/// A passive checkpoint waits for nobody: writers go on appending to the log meanwhile, and pages a
/// reader still needs stay in the log until the next round.
/// </remarks>
internal sealed partial class SqliteCheckpointer(string connectionString, TimeProvider time, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often the log is copied: at full mail ingestion, a few batches' worth each time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        SqliteConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(connectionString);
                        await connection.OpenAsync(stoppingToken);
                    }
                    await CheckpointAsync(connection, stoppingToken);
                }
                catch (SqliteException e)
                {
                    // A database being created or migrated, or a disk error; the next round tries again.
                    LogFailed(logger, e.SqliteErrorCode, e.Message);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>One passive checkpoint; the pages in the log and how many of them are in the database file now.</summary>
    public static async Task<(long LogPages, long Copied)> CheckpointAsync(SqliteConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copying SQLite's log into the database failed ({Code}: {Reason}); trying again shortly.")]
    private static partial void LogFailed(ILogger logger, int code, string reason);
}
