using Microsoft.Data.Sqlite;
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
internal sealed class SqliteCheckpointer(string connectionString, TimeProvider time, ILogger<SqliteCheckpointer> logger)
    : DatabaseChore(Interval, time, logger)
{
    /// <summary>How often the log is copied: at full mail ingestion, a few batches' worth each time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private SqliteConnection? _connection;

    protected override string What => "Copying SQLite's log into the database file";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        if (_connection is null)
        {
            _connection = new SqliteConnection(connectionString);
            await _connection.OpenAsync(ct);
        }
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async ValueTask ResetAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}
