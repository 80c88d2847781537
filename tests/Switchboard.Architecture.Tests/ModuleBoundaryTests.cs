using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using static Switchboard.Architecture.Tests.SwitchboardAssemblies;

namespace Switchboard.Architecture.Tests;

/// <summary>
/// Modules talk to each other only through their small public surfaces; the implementation of
/// each (endpoints, workers, handlers) stays internal.
/// </summary>
public class ModuleBoundaryTests
{
    [Fact]
    public void Modules_AreFound_IncludingAccountsAndTickets()
    {
        var modules = Modules.Select(Name).ToList();

        Assert.Contains("Switchboard.Accounts", modules);
        Assert.Contains("Switchboard.Tickets", modules);
        Assert.Contains(All, a => IsMigrations(a));
    }

    [Fact]
    public void Core_ReferencesNoModule()
    {
        Assert.Empty(References(Named(CoreName)));
    }

    [Theory]
    [InlineData("Switchboard.Data.Sqlite")]
    [InlineData("Switchboard.Data.Postgres")]
    public void MigrationProject_ReferencesOnlyCore(string name)
    {
        Assert.Equal([CoreName], References(Named(name)));
    }

    [Fact]
    public void Tickets_DoesNotReferenceAccounts()
    {
        Assert.DoesNotContain("Switchboard.Accounts", References(Named("Switchboard.Tickets")));
    }

    [Fact]
    public void Accounts_DoesNotReferenceTickets()
    {
        Assert.DoesNotContain("Switchboard.Tickets", References(Named("Switchboard.Accounts")));
    }

    [Fact]
    public void Modules_DoNotReferenceTheHostOrMigrations()
    {
        var offenders = Modules
            .SelectMany(m => References(m).Where(r => r == HostName || r.StartsWith("Switchboard.Data.", StringComparison.Ordinal)).Select(r => $"{Name(m)} -> {r}"))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Modules_EachHasAPublicStaticEntryPointNamedAfterIt()
    {
        foreach (var module in Modules)
        {
            var area = Name(module)["Switchboard.".Length..];
            var entry = module.GetType($"{Name(module)}.{area}Module");

            Assert.True(entry is { IsPublic: true, IsAbstract: true, IsSealed: true }, $"{Name(module)} has no public static class {area}Module.");
        }
    }

    [Fact]
    public void Modules_EndpointClassesNamedApi_AreInternal()
    {
        var apis = Modules.SelectMany(m => m.GetTypes()).Where(t => t.Name.EndsWith("Api", StringComparison.Ordinal)).ToList();
        var exposed = apis.Where(t => t.IsVisible).Select(t => t.FullName).ToList();

        Assert.Contains(apis, t => t.Name == "TicketsApi");
        Assert.Empty(exposed);
    }

    [Fact]
    public void Modules_WorkersHandlersAndMiddleware_AreInternal()
    {
        Type[] pipeline = [typeof(IHostedService), typeof(IAuthenticationHandler), typeof(IExceptionHandler), typeof(IMiddleware), typeof(IEndpointFilter)];

        var exposed = Modules.SelectMany(m => m.GetTypes())
            .Where(t => t.IsVisible && pipeline.Any(p => p.IsAssignableFrom(t)))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(exposed);
    }

    [Fact]
    public void Modules_GrantInternalsOnlyToTheirTestsAndBenchmarks()
    {
        var grants = Modules.Append(Named(HostName))
            .SelectMany(m => m.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => (Module: Name(m), Friend: a.AssemblyName)))
            .ToList();

        Assert.Contains(grants, g => g.Friend == "Switchboard.Host.Tests");
        Assert.All(grants, g => Assert.True(
            (g.Friend.StartsWith(g.Module + ".", StringComparison.Ordinal) && g.Friend.EndsWith("Tests", StringComparison.Ordinal))
                || g.Friend == "Switchboard.Bench",
            $"{g.Module} shows its internals to {g.Friend}; only its own tests and the benchmarks may see them."));
    }
}
