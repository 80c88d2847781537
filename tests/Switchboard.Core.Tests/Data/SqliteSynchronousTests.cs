using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Switchboard.Core.Data;

namespace Switchboard.Core.Tests.Data;

public class SqliteSynchronousTests
{
    [Theory]
    [InlineData(null, "FULL")]
    [InlineData("Normal", "NORMAL")]
    [InlineData(" full ", "FULL")]
    public void ReadSqliteSynchronous_FullOrNormal_IsAccepted(string? value, string expected) =>
        Assert.Equal(expected, DatabaseSetup.ReadSqliteSynchronous(Settings(value)));

    [Fact]
    public void ReadSqliteSynchronous_AnythingElse_StopsWithTheSettingNamed()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DatabaseSetup.ReadSqliteSynchronous(Settings("Off")));

        Assert.Contains("Database:SqliteSynchronous", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FULL", 2L)]
    [InlineData("NORMAL", 1L)]
    public async Task Configure_OnSqlite_EveryConnectionRunsWithTheSetting(string synchronous, long expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"switchboard-sync-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SwitchboardDb>();
            DatabaseSetup.Configure(options, DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False", synchronous);
            await using var db = new SwitchboardDb(options.Options);

            var value = await db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync();

            Assert.Equal(expected, value);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IConfiguration Settings(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteSynchronous"] = value }).Build();
}
