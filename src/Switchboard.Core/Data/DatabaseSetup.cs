using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Core.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "Switchboard.Data.Sqlite";
    public const string PostgresMigrationsAssembly = "Switchboard.Data.Postgres";

    /// <summary>
    /// Contexts kept for reuse. Each holds its change tracker and services for good (tens of KB); EF Core's default
    /// of 1,024 kept about 1,000 of them after a burst of chat (every hub call waiting for its line takes one), some
    /// 150 MB that stayed in the heap. Past this many, a context is made for the call and let go after it.
    /// </summary>
    public const int ContextPoolSize = 128;

    /// <summary>Registers <see cref="SwitchboardDb"/> for the provider named by <c>Database:Provider</c>.</summary>
    public static IServiceCollection AddSwitchboardDb(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ReadProvider(configuration);
        var connectionString = ResolveConnectionString(configuration, provider);
        var synchronous = ReadSqliteSynchronous(configuration);
        // Modules add behaviour to every save (e.g. SLA due times) as singleton interceptors.
        services.AddDbContextPool<SwitchboardDb>((sp, options) =>
        {
            Configure(options, provider, connectionString, synchronous);
            // Bounded counts ("999+") take a page of rows in whatever order the index gives; no order is wanted there.
            options.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning));
            options.AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
        }, ContextPoolSize);
        // Housekeeping that would otherwise happen inside some request's or batch's commit, on the machine's
        // clock (not the application's, which tests move by hand).
        services.AddHostedService<DatabaseChore>(sp => provider == DatabaseProvider.Sqlite
            ? new SqliteCheckpointer(connectionString, TimeProvider.System, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SqliteCheckpointer>>())
            : new PostgresSearchIndexCleaner(connectionString, TimeProvider.System, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PostgresSearchIndexCleaner>>()));
        return services;
    }

    public static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        return value.Trim().ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException(
                $"Database:Provider is '{value}'; use 'Sqlite' or 'Postgres'."),
        };
    }

    /// <summary>
    /// <c>Database:SqliteSynchronous</c>: <c>Full</c> (the default) syncs the write-ahead log on every commit, so a
    /// commit that returned survives a power cut; <c>Normal</c> syncs it only at checkpoints, so a power cut (not a
    /// crash of the process) may lose the last commits. See ADR-0011.
    /// </summary>
    public static string ReadSqliteSynchronous(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Database:SqliteSynchronous"];
        if (string.IsNullOrWhiteSpace(value)) return "FULL";
        return value.Trim().ToUpperInvariant() switch
        {
            "FULL" => "FULL",
            "NORMAL" => "NORMAL",
            _ => throw new InvalidOperationException($"Database:SqliteSynchronous is '{value}'; use 'Full' or 'Normal'."),
        };
    }

    public static string ResolveConnectionString(IConfiguration configuration, DatabaseProvider provider)
    {
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured)) return provider == DatabaseProvider.Postgres ? TunePostgres(configured) : configured;
        if (provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                "Database:Provider is Postgres but ConnectionStrings:Default is empty; set it to an Npgsql connection string.");
        }
        var dataDirectory = DataDirectory(configuration);
        Directory.CreateDirectory(dataDirectory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "switchboard.db"),
            Cache = SqliteCacheMode.Private,
        }.ToString();
    }

    /// <summary>
    /// Defaults for a web workload of many short, repeated queries, unless the connection string
    /// sets them: statements used a few times are prepared on each pooled connection (parsing and
    /// planning once), and returning a connection to the pool skips the session reset, which the
    /// application never needs (it sets no session state).
    /// </summary>
    private static string TunePostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var given = connectionString.ToLowerInvariant();
        if (!given.Contains("auto prepare", StringComparison.Ordinal) && !given.Contains("autoprepare", StringComparison.Ordinal))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!given.Contains("reset", StringComparison.Ordinal)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Switchboard:DataDirectory"] is { Length: > 0 } dir ? dir : "data");

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, string synchronous = "FULL")
    {
        ArgumentNullException.ThrowIfNull(options);
        if (provider == DatabaseProvider.Sqlite)
        {
            options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
            options.AddInterceptors(synchronous == "NORMAL" ? SqliteConnectionPragmas.Normal : SqliteConnectionPragmas.Full);
        }
        else
        {
            options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly));
        }
        options.UseSnakeCaseNamingConvention();
    }

    /// <summary>Applies pending migrations; on SQLite also switches to write-ahead logging so readers never wait for writers.</summary>
    public static async Task MigrateAsync(SwitchboardDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

/// <summary>
/// SQLite has one writer at a time. Without a busy timeout a second writer gets SQLITE_BUSY at once and
/// Microsoft.Data.Sqlite retries after sleeping 150 ms; with one, SQLite waits inside (a millisecond or a
/// few at first) and the writer goes on as soon as the first commits. Background workers and batched
/// mail ingestion take turns many times a second, so those 150 ms sleeps added up.
/// </summary>
/// <remarks>
/// The same place sets <c>synchronous</c>, which also lives on the handle (<c>Database:SqliteSynchronous</c>),
/// and how far the log may grow before a commit copies it into the database itself (<see cref="SqliteCheckpointer"/>
/// does it in the background long before).
/// </remarks>
internal sealed class SqliteConnectionPragmas(string synchronous) : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqliteConnectionPragmas Full = new("FULL");
    public static readonly SqliteConnectionPragmas Normal = new("NORMAL");

    /// <summary>Log pages (4 KB each) after which a commit checkpoints by itself: 64 MB, against SQLite's default of 4 MB.</summary>
    public const int AutoCheckpointPages = 16_000;

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) =>
        Apply(connection);

    public override Task ConnectionOpenedAsync(
        System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // Pooled connections keep their native handle, and the setting lives on the handle: set it once per handle,
    // not on every open (every query opens a pooled connection).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _applied = [];

    private void Apply(System.Data.Common.DbConnection connection)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || !_applied.TryAdd(handle, handle)) return;
        using var command = connection.CreateCommand();
        // As long as a command may take by default (30 s); past it the command fails as before.
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = " + synchronous + "; PRAGMA wal_autocheckpoint = "
            + AutoCheckpointPages.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";";
        command.ExecuteNonQuery();
    }
}
