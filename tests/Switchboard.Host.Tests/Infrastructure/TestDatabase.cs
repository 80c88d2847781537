using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Core.Data;

namespace Switchboard.Host.Tests.Infrastructure;

/// <summary>An empty database that exists for one factory's lifetime.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";

    public string ConnectionString { get; protected set; } = "";

    public static TestDatabase For(DatabaseProvider provider, string dataDirectory) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteTestDatabase(dataDirectory),
        _ => new PostgresTestDatabase(),
    };

    public abstract Task CreateAsync();

    public abstract ValueTask DisposeAsync();
}

/// <summary>A database file in the factory's temporary data directory, created by the host's migrations.</summary>
internal sealed class SqliteTestDatabase : TestDatabase
{
    public SqliteTestDatabase(string dataDirectory) =>
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "switchboard.db") }.ToString();

    public override Task CreateAsync() => Task.CompletedTask;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A database with a unique name on the server named by SWITCHBOARD_TEST_POSTGRES, dropped afterwards.</summary>
internal sealed class PostgresTestDatabase : TestDatabase
{
    private string? _server;
    private string? _name;

    public override async Task CreateAsync()
    {
        _server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(_server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set, so the PostgreSQL tests cannot run. Run ./test.sh, which starts a throwaway " +
                $"PostgreSQL server, or set {PostgresVariable} to an Npgsql connection string of a superuser " +
                "(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=...;Database=postgres).");
        }
        _name = "switchboard_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(_server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
            await command.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_server is null || _name is null) return;
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        // FORCE ends the host's pooled connections, which may outlive the host by a moment.
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
        _name = null;
    }
}

/// <summary>A second node's view of the database another factory made: neither created nor dropped here.</summary>
internal sealed class SharedTestDatabase(TestDatabase first) : TestDatabase
{
    public override Task CreateAsync()
    {
        ConnectionString = first.ConnectionString;
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
