using Microsoft.AspNetCore.Hosting;
using Switchboard.Core.Data;
using Switchboard.Host.Tests.Infrastructure;

namespace Switchboard.Host.Tests.Portal;

/// <summary>
/// The host for portal tests. Every test request comes from one (absent) client address, so the
/// per-address limits on sign-up, search and posting are raised; <see cref="PortalRateLimitTests"/>
/// checks the limits themselves on a host with low ones.
/// </summary>
public abstract class PortalFactory(DatabaseProvider provider) : SwitchboardFactory(provider)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:AccountRequestsPerMinute", "100000");
        builder.UseSetting("Portal:SearchesPerMinute", "100000");
        builder.UseSetting("Portal:PostsPerMinute", "100000");
    }
}

public sealed class PortalSqliteFactory() : PortalFactory(DatabaseProvider.Sqlite);

public sealed class PortalPostgresFactory() : PortalFactory(DatabaseProvider.Postgres);

/// <summary>The portal in a real browser: the host on a loopback port with the portal's limits raised.</summary>
public sealed class PortalBrowserHost() : BrowserHost(DatabaseProvider.Sqlite)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:AccountRequestsPerMinute", "100000");
        builder.UseSetting("Portal:SearchesPerMinute", "100000");
        builder.UseSetting("Portal:PostsPerMinute", "100000");
    }
}
