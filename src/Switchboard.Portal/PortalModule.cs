using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Switchboard.Portal;

/// <summary>
/// The customer portal: knowledge base, search, FAQ, forum, feedback, customer accounts with their
/// tickets, and contact forms — server-rendered under <see cref="PortalOptions.Path"/> — plus the
/// agents' management API under /api/v1.
/// </summary>
public static class PortalModule
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        builder.Services.AddRazorComponents();
        // Pages in Filipino and Chinese are sent as text, not as numeric character references.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddAntiforgery();
        builder.Services.AddSingleton<PortalUrls>();
        // Ahead of the JSON writer, which would answer a browser too.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ErrorPages>());
        builder.Services.AddSingleton<BrandingCache>();
        builder.Services.AddSingleton<ArticleViews>();
        builder.Services.AddSingleton<Core.Events.IReplyChannel, PortalReplyChannel>();
        builder.Services.AddHostedService<ArticleViewsWorker>();
        builder.Services.AddAuthentication().AddCookie(CustomerAuth.Scheme, o =>
        {
            // Only the portal's pages ever see this cookie: it is not sent to /api, and agent endpoints
            // authenticate with bearer tokens only.
            o.Cookie.Name = "sb_portal";
            o.Cookie.Path = options.Path;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = options.SessionLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = options.Path + "/signin";
        });
        builder.Services.Configure<RateLimiterOptions>(o =>
        {
            o.AddPolicy(RateLimits.Account, http => PerAddress(http, "account", p => p.AccountRequestsPerMinute));
            o.AddPolicy(RateLimits.Search, http => PerAddress(http, "search", p => p.SearchesPerMinute));
            o.AddPolicy(RateLimits.Post, http => PerAddress(http, "post", p => p.PostsPerMinute));
        });
        return builder;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, string bucket, Func<PortalOptions, int> limit)
    {
        var permits = limit(http.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(
            bucket + ":" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    /// <summary>Maps the portal's pages under its path and the management API on <paramref name="api"/>.</summary>
    public static WebApplication MapPortal(this WebApplication app, RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        var path = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value.Path;
        var portal = app.MapGroup(path).ExcludeFromDescription().AllowAnonymous();
        KnowledgeBasePages.Map(portal);
        AccountPages.Map(portal);
        ProfilePages.Map(portal);
        TicketPages.Map(portal);
        ForumPages.Map(portal);
        FeedbackPages.Map(portal);
        FormPages.Map(portal);
        KnowledgeBaseApi.Map(api);
        FaqApi.Map(api);
        ForumApi.Map(api);
        FeedbackApi.Map(api);
        ContactFormsApi.Map(api);
        BrandingApi.Map(api);
        return app;
    }
}

internal static class RateLimits
{
    public const string Account = "portal-account";
    public const string Search = "portal-search";
    public const string Post = "portal-post";
}
