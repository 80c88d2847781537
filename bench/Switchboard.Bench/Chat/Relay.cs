using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Core.Data;

namespace Switchboard.Bench.Chat;

/// <summary>
/// The substrate: a bare ASP.NET Core SignalR relay, no checks. A line goes to the rest of its group; with a
/// <see cref="LineStore"/> it is first inserted and committed, one statement per line.
/// </summary>
internal sealed class RelayHub(LineStore store) : Hub
{
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public async Task<string> Send(string group, string clientId, string text)
    {
        await store.InsertAsync(group, clientId, text);
        await Clients.OthersInGroup(group).SendAsync("Line", clientId, text);
        return clientId;
    }
}

/// <summary>
/// Where the relay keeps a line before relaying it: nowhere (the bare relay), or the least a durable store needs —
/// one prepared INSERT committed on its own (SQLite: one connection in WAL mode with synchronous=FULL, the host's
/// default; PostgreSQL: a pooled connection per line, autocommit) into a plain table with a unique client id.
/// </summary>
internal abstract class LineStore
{
    public abstract ValueTask InsertAsync(string conversation, string clientId, string text);

    public static LineStore Create(DatabaseProvider? provider, string? connection) => provider switch
    {
        null => new Nowhere(),
        DatabaseProvider.Sqlite => new SqliteLines(connection!),
        _ => new PostgresLines(connection!),
    };

    private const string Columns = "conversation text NOT NULL, client_id text NOT NULL, text text NOT NULL, created_at timestamptz NOT NULL, UNIQUE (conversation, client_id))";

    private const string Insert = "INSERT INTO bench_relay_lines (conversation, client_id, text, created_at) VALUES ($1, $2, $3, $4)";

    private sealed class Nowhere : LineStore
    {
        public override ValueTask InsertAsync(string conversation, string clientId, string text) => ValueTask.CompletedTask;
    }

    private sealed class SqliteLines : LineStore, IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1);
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;

        public SqliteLines(string connection)
        {
            _connection = new SqliteConnection(connection);
            _connection.Open();
            using (var setup = _connection.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS bench_relay_lines (id integer PRIMARY KEY, " + Columns;
                setup.ExecuteNonQuery();
            }
            _insert = _connection.CreateCommand();
            _insert.CommandText = Insert.Replace('$', '@');
            foreach (var name in new[] { "@1", "@2", "@3", "@4" }) _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            _insert.Prepare();
        }

        public override async ValueTask InsertAsync(string conversation, string clientId, string text)
        {
            await _gate.WaitAsync();
            try
            {
                _insert.Parameters[0].Value = conversation;
                _insert.Parameters[1].Value = clientId;
                _insert.Parameters[2].Value = text;
                _insert.Parameters[3].Value = DateTime.UtcNow;
                _insert.ExecuteNonQuery();
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose()
        {
            _insert.Dispose();
            _connection.Dispose();
            _gate.Dispose();
        }
    }

    private sealed class PostgresLines : LineStore, IDisposable
    {
        private readonly NpgsqlDataSource _source;

        public PostgresLines(string connection)
        {
            _source = NpgsqlDataSource.Create(connection);
            using var setup = _source.CreateCommand("CREATE TABLE IF NOT EXISTS bench_relay_lines (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, " + Columns);
            setup.ExecuteNonQuery();
        }

        public override async ValueTask InsertAsync(string conversation, string clientId, string text)
        {
            await using var insert = _source.CreateCommand(Insert);
            insert.Parameters.Add(new NpgsqlParameter { Value = conversation });
            insert.Parameters.Add(new NpgsqlParameter { Value = clientId });
            insert.Parameters.Add(new NpgsqlParameter { Value = text });
            insert.Parameters.Add(new NpgsqlParameter { Value = DateTime.UtcNow });
            await insert.ExecuteNonQueryAsync();
        }

        public void Dispose() => _source.Dispose();
    }
}

internal static class RelayServer
{
    public static async Task<int> RunAsync(int port, DatabaseProvider? provider = null, string? connection = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton(_ => LineStore.Create(provider, connection));
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<RelayHub>("/relay");
        app.MapGet("/health", () => "ok");
        await app.RunAsync();
        return 0;
    }
}

/// <summary>The relay in its own process (like the host), wrapped in timeout(1) so it stops by itself.</summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RelayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => int.Parse(File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

    /// <summary>Starts the relay; with a provider and connection it stores each line before relaying it.</summary>
    public static async Task<RelayProcess> StartAsync(DatabaseProvider? provider = null, string? connection = null)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo("timeout") { UseShellExecute = false };
        foreach (var arg in new[] { "--kill-after=10", "900", "dotnet", typeof(RelayProcess).Assembly.Location, "relay", "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        if (provider is { } p)
        {
            start.ArgumentList.Add("--store");
            start.ArgumentList.Add(p.ToString().ToLowerInvariant());
            start.ArgumentList.Add("--connection");
            start.ArgumentList.Add(connection!);
        }
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the relay.");
        var relay = new RelayProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = relay.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await probe.GetAsync("/health");
                if (response.IsSuccessStatusCode) return relay;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await relay.DisposeAsync();
        throw new InvalidOperationException("The relay did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
