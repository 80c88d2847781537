using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Core.Data;

namespace Switchboard.Core.Tests.Data;

/// <summary>What is committed reaches the database file in the background, not inside the commits.</summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"switchboard-checkpoint-{Guid.NewGuid():N}");

    public SqliteCheckpointerTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task CommitsLeaveTheLogAlone_AndTheBackgroundCopiesItIntoTheDatabaseFile()
    {
        var file = Path.Combine(_dir, "switchboard.db");
        var services = new ServiceCollection().AddLogging();
        services.AddSwitchboardDb(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Default"] = $"Data Source={file}",
        }).Build());
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);");
            // About 12 MB in 60 commits, in English, Filipino and Chinese: three times SQLite's own checkpoint threshold.
            var body = string.Concat(Enumerable.Repeat("Refund for order 4411. Salamat po sa tulong! 我想申请退款。", 3_000));
            for (var commit = 0; commit < 60; commit++)
            {
                await db.Database.ExecuteSqlRawAsync("INSERT INTO notes (body) VALUES ({0})", body);
            }

            // No commit copied the log into the file: it still holds only the schema.
            Assert.True(new FileInfo(file).Length < 1024 * 1024, $"the database file was {new FileInfo(file).Length:N0} bytes before any checkpoint");

            var checkpointer = Assert.Single(provider.GetServices<IHostedService>());
            await checkpointer.StartAsync(CancellationToken.None);
            try
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (new FileInfo(file).Length < 10 * 1024 * 1024 && DateTime.UtcNow < deadline) await Task.Delay(50);
            }
            finally
            {
                await checkpointer.StopAsync(CancellationToken.None);
            }
            Assert.True(new FileInfo(file).Length >= 10 * 1024 * 1024, $"the database file was {new FileInfo(file).Length:N0} bytes after the checkpoints");

            // And what the file holds is what was written.
            await db.Database.CloseConnectionAsync();
            await using var reader = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
            await reader.OpenAsync();
            await using var count = reader.CreateCommand();
            count.CommandText = "SELECT count(*) FROM notes WHERE body LIKE '%申请退款%' AND body LIKE '%Salamat po%'";
            Assert.Equal(60L, await count.ExecuteScalarAsync());
        }
    }
}
