using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Accounts;
using Switchboard.Workspace.Components;

namespace Switchboard.Workspace;

/// <summary>
/// The agent workspace: the universal inbox, tickets, settings and profile in the browser
/// (Blazor, interactive server rendering), and the canned responses and saved filters it uses.
/// It owns the agent pages (/, /signin, /inbox, /tickets, /settings, /profile) and nothing else.
/// </summary>
public static class WorkspaceModule
{
    public static WebApplicationBuilder AddWorkspace(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Serves the component library's files (styles, script) from the build output as well as from a published app.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        builder.Services.AddScoped<CannedResponses>();
        builder.Services.AddScoped<SavedFilters>();
        return builder;
    }

    public static WebApplication MapWorkspace(this WebApplication app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        app.MapStaticAssets();
        CannedResponsesApi.Map(api);
        app.MapPost("/signout", SignOutAsync).ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, AgentSessions sessions, CancellationToken ct)
    {
        await antiforgery.ValidateRequestAsync(http);
        await sessions.SignOutAsync(http, ct);
        return Results.LocalRedirect("/signin");
    }
}
