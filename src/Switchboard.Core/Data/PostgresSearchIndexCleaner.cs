using Microsoft.Extensions.Logging;
using Npgsql;

namespace Switchboard.Core.Data;

/// <summary>
/// Merges the search index's pending list into the index a few times a second, on a connection of its
/// own. An entry inserted into a GIN index with a pending list (fastupdate, PostgreSQL's default) is
/// only appended to the list, which costs a fraction of putting each of its terms into the index; but
/// left to itself PostgreSQL merges the list inside whichever insert finds it over its limit (4 MB),
/// and that statement then takes tens of milliseconds, with every chat line or mail batch waiting
/// behind it. Merged here, in small rounds, the list stays short for searches (they read it whole) and
/// no insert meets it full. A merge running here does not hold inserts up.
/// </summary>
internal sealed class PostgresSearchIndexCleaner(string connectionString, TimeProvider time, ILogger<PostgresSearchIndexCleaner> logger)
    : DatabaseChore(Interval, time, logger)
{
    /// <summary>The ticket search's index (migration <c>FullTextSearch</c>).</summary>
    public const string Index = "ix_search_entries_fts";

    /// <summary>How often the list is merged: at full mail ingestion, a few batches' entries each time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override string What => "Merging the search index's pending entries";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT gin_clean_pending_list('{Index}'::regclass)";
        await command.ExecuteScalarAsync(ct);
    }
}
