using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Platform;

public abstract class PlatformTests(SwitchboardFactory factory) : ApiTests(factory)
{
    [Fact]
    public async Task Health_Anonymous_ReturnsOk()
    {
        var body = await Factory.CreateClient().GetAsync("/health").ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("ok", body.Str("status"));
    }

    [Fact]
    public async Task HealthLive_Anonymous_ReturnsOk()
    {
        var body = await Factory.CreateClient().GetAsync("/health/live").ShouldBeAsync(HttpStatusCode.OK);

        Assert.Equal("ok", body.Str("status"));
    }

    [Fact]
    public async Task OpenApi_Document_ListsTicketPaths()
    {
        var document = await Factory.CreateClient().GetAsync("/openapi/v1.json").ShouldBeAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/tickets", paths);
        Assert.Contains("/api/v1/tickets/{id}", paths);
        Assert.Contains("/api/v1/tickets/{id}/messages", paths);
        Assert.Contains("/api/v1/contacts", paths);
    }

    [Fact]
    public async Task ApiReference_Anonymous_ServesPage()
    {
        using var response = await Factory.CreateClient().GetAsync("/api/reference");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Switchboard API", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrations_AfterStartUp_NonePendingAndModelMatchesSnapshot()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();

        Assert.Equal(Factory.Provider == DatabaseProvider.Sqlite, db.IsSqlite);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures; add a migration for this provider.");
    }
}

public sealed class PlatformTests_Sqlite(SqliteFactory factory) : PlatformTests(factory), IClassFixture<SqliteFactory>;

public sealed class PlatformTests_Postgres(PostgresFactory factory) : PlatformTests(factory), IClassFixture<PostgresFactory>;
