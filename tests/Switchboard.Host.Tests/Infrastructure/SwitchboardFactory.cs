using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Core.Data;

namespace Switchboard.Host.Tests.Infrastructure;

/// <summary>
/// The real host on a fresh database of one provider, with its own data directory and a clock the
/// tests move. There is one per test class and provider; the tests of a class share it, so each
/// test makes its own data (unique tags, names and addresses) and looks only at that.
/// </summary>
public abstract class SwitchboardFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "owner@switchboard.test";
    public const string AdminPassword = "correct horse battery staple";
    public const string AdminName = "Olivia Owner";

    /// <summary>A Monday morning; tests move the clock forward from here, never back.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("switchboard-tests-");
    private readonly TestDatabase _database;
    private readonly bool _withAdmin;
    private HttpClient? _admin;
    private int _disposed;
    private bool _databaseCreated;

    protected SwitchboardFactory(DatabaseProvider provider, bool withAdmin = true)
    {
        Provider = provider;
        _withAdmin = withAdmin;
        _database = TestDatabase.For(provider, _dataDirectory.FullName);
    }

    /// <summary>
    /// Another node of <paramref name="firstNode"/>'s deployment: its own process state and data
    /// directory on the same database (start it after the first; it neither creates nor drops it).
    /// </summary>
    protected SwitchboardFactory(SwitchboardFactory firstNode)
    {
        ArgumentNullException.ThrowIfNull(firstNode);
        Provider = firstNode.Provider;
        _withAdmin = true;
        _database = new SharedTestDatabase(firstNode._database);
    }

    public DatabaseProvider Provider { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>
    /// Whether the host runs on <see cref="Clock"/>. Browser tests run on real time: browsers,
    /// cookies and real-time connections keep their own clocks.
    /// </summary>
    protected virtual bool UsesFakeClock => true;

    public string DataDirectory => _dataDirectory.FullName;

    /// <summary>The address the one-time setup link starts with; unique, so a test finds its own link in the console.</summary>
    public string PublicUrl { get; } = $"http://switchboard-{Guid.NewGuid():N}.test";

    /// <summary>
    /// A client of the owner created from configuration at start-up. It uses an API token, which
    /// does not expire, so tests may move the clock by days.
    /// </summary>
    public HttpClient Admin => _admin ?? throw new InvalidOperationException("This host was started without an administrator.");

    public long AdminId { get; private set; }

    public virtual async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        if (_withAdmin)
        {
            var (session, id) = await SignInAsync(AdminEmail, AdminPassword);
            var token = await session.PostAsJsonAsync("/api/v1/tokens", new { name = "Tests" }).ShouldBeAsync(HttpStatusCode.Created);
            _admin = ClientWithToken(token.GetProperty("token").GetString()!);
            AdminId = id;
        }
        else
        {
            ConsoleCapture.Install();
            // Starts the host, which prints the setup link.
            _ = Server;
        }
    }

    /// <summary>Creates the database once; a host that starts its server early (on a real port) calls this first.</summary>
    protected async Task CreateDatabaseAsync()
    {
        if (_databaseCreated) return;
        await _database.CreateAsync();
        _databaseCreated = true;
    }

    /// <summary>Signs in through the API and returns a client that sends the token.</summary>
    public async Task<(HttpClient Client, long AgentId)> SignInAsync(string email, string password)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        var body = await response.ShouldBeAsync(HttpStatusCode.OK);
        return (ClientWithToken(body.GetProperty("token").GetString()!), body.GetProperty("agent").GetProperty("id").GetInt64());
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: no user secrets from the machine, and errors look as they do in production.
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", _database.ConnectionString);
        builder.UseSetting("Switchboard:DataDirectory", DataDirectory);
        builder.UseSetting("Switchboard:PublicUrl", PublicUrl);
        // Every test signs in from the same (absent) address; the per-address limit would throttle a whole class.
        builder.UseSetting("Switchboard:RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // EF logs its probe for the migrations table of a fresh PostgreSQL database as a failed command.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Critical");
        // The mail fetchers and the outbox sender poll in the background; these tests drive the API only.
        builder.UseSetting("Email:RunWorkers", "false");
        if (_withAdmin)
        {
            builder.UseSetting("Switchboard:Admin:Email", AdminEmail);
            builder.UseSetting("Switchboard:Admin:Password", AdminPassword);
            builder.UseSetting("Switchboard:Admin:Name", AdminName);
        }
        if (UsesFakeClock)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            });
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await base.DisposeAsync();
        await _database.DisposeAsync();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temporary folder is cleaned up by the system.
        }
        GC.SuppressFinalize(this);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

public sealed class SqliteFactory() : SwitchboardFactory(DatabaseProvider.Sqlite);

public sealed class PostgresFactory() : SwitchboardFactory(DatabaseProvider.Postgres);

/// <summary>A first run with no administrator configured: the host prints a one-time setup link.</summary>
public sealed class SqliteSetupFactory() : SwitchboardFactory(DatabaseProvider.Sqlite, withAdmin: false);

public sealed class PostgresSetupFactory() : SwitchboardFactory(DatabaseProvider.Postgres, withAdmin: false);

/// <summary>A second PostgreSQL node beside <paramref name="firstNode"/>, on the same database.</summary>
public sealed class PostgresSecondNode(SwitchboardFactory firstNode) : SwitchboardFactory(firstNode);
