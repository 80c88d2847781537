using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Switchboard.Core.Data;

namespace Switchboard.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without starting the host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SwitchboardDb>
{
    public SwitchboardDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SwitchboardDb>();
        DatabaseSetup.Configure(options, DatabaseProvider.Sqlite, "Data Source=design.db");
        return new SwitchboardDb(options.Options);
    }
}
