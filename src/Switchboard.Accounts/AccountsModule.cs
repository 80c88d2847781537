using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Accounts;

/// <summary>Agents, departments, sign-in, bearer tokens and first-run setup.</summary>
public static class AccountsModule
{
    public const string SignInRateLimitPolicy = AuthApi.RateLimitPolicy;

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AdminBootstrapOptions>().BindConfiguration(AdminBootstrapOptions.Section);
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<AgentSessions>();
        builder.Services.AddScoped<AccountsAdministration>();
        // API clients send a bearer token, browsers a session cookie; every policy accepts either.
        builder.Services.AddAuthentication(EitherScheme)
            .AddPolicyScheme(EitherScheme, "Bearer token or session cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Count > 0 ? BearerTokenHandler.SchemeName : AgentSessions.CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddCookie(AgentSessions.CookieScheme, o =>
            {
                o.Cookie.Name = "switchboard.session";
                o.Cookie.HttpOnly = true;
                // Lax: links from email open the workspace signed in; cross-site posts carry no cookie.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/signin";
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnValidatePrincipal = AgentSessions.ValidateCookieAsync;
                // The API and the real-time hubs answer with status codes, never with a redirect to the sign-in page.
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Agent, p => p.RequireAuthenticatedUser().RequireClaim(CurrentAgent.IdClaim))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(
                nameof(AgentRole.Admin).ToLowerInvariant(), nameof(AgentRole.Owner).ToLowerInvariant()));
        return builder;
    }

    private const string EitherScheme = "Switchboard";

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        AuthApi.Map(api);
        AgentsApi.Map(api);
        DepartmentsApi.Map(api);
        TokensApi.Map(api);
        Setup.Map(app);
        return app;
    }

    /// <summary>Default departments, then the first owner from configuration or a one-time setup link.</summary>
    public static async Task BootstrapAccountsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var configuration = sp.GetRequiredService<IConfiguration>();
        var publicUrl = configuration["Switchboard:PublicUrl"] ?? configuration["urls"]?.Split(';')[0];
        await Setup.BootstrapAsync(
            sp.GetRequiredService<SwitchboardDb>(),
            sp.GetRequiredService<IOptions<AdminBootstrapOptions>>().Value,
            sp.GetRequiredService<IOptions<AccountsOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Setup"),
            publicUrl,
            ct);
    }
}
