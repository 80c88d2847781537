using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;

namespace Switchboard.Bench;

internal interface IBulkLoader : IAsyncDisposable
{
    /// <summary>The dataset already in the database, when a load finished there.</summary>
    Task<DatasetInfo?> ExistingAsync();

    /// <summary>Starts from an empty database with the migrated schema, ready for bulk writes.</summary>
    Task PrepareAsync();

    Task WriteReferenceAsync(ReferenceData data);

    Task WriteContactsAsync(ContactBatch batch);

    Task WriteTicketsAsync(TicketBatch batch);

    /// <summary>Restores what <see cref="PrepareAsync"/> took away.</summary>
    Task FinishAsync(Action<string> log);

    /// <summary>Records the dataset, which marks the load as complete.</summary>
    Task MarkCompleteAsync(DatasetInfo info);
}

internal static class Db
{
    public static SwitchboardDb Create(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<SwitchboardDb>();
        DatabaseSetup.Configure(options, provider, connectionString);
        return new SwitchboardDb(options.Options);
    }

    public static IBulkLoader Loader(DatabaseProvider provider, string connectionString) => provider == DatabaseProvider.Sqlite
        ? new SqliteLoader(connectionString)
        : new PostgresLoader(connectionString);
}
