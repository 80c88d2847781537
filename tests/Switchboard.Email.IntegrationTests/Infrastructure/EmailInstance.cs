using Switchboard.Core.Data;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>
/// One installation of Switchboard: a database and a data directory (attachments, raw mail, the keys
/// that encrypt mailbox passwords). Hosts come and go on it, as a restarted or crashed server would.
/// </summary>
public sealed class EmailInstance : IAsyncDisposable
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("switchboard-mail-tests-");
    private readonly TestDatabase _database;
    private int _disposed;

    private EmailInstance(DatabaseProvider provider)
    {
        Provider = provider;
        _database = TestDatabase.For(provider, _dataDirectory.FullName);
    }

    public DatabaseProvider Provider { get; }

    public string DataDirectory => _dataDirectory.FullName;

    public string ConnectionString => _database.ConnectionString;

    public static async Task<EmailInstance> CreateAsync(DatabaseProvider provider)
    {
        var instance = new EmailInstance(provider);
        try
        {
            await instance._database.CreateAsync();
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a host on this installation; <paramref name="settings"/> override the test defaults, and
    /// <paramref name="services"/> may add to the host's services (e.g. a fault to inject).
    /// </summary>
    public Task<EmailHost> StartHostAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        EmailHost.StartAsync(this, settings, services);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _database.DisposeAsync();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temporary folder is cleaned up by the system.
        }
    }
}
