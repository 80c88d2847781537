using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Switchboard.Core.Data;

namespace Switchboard.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a server.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SwitchboardDb>
{
    public SwitchboardDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SwitchboardDb>();
        DatabaseSetup.Configure(options, DatabaseProvider.Postgres, "Host=localhost;Database=design");
        return new SwitchboardDb(options.Options);
    }
}
