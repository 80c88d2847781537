using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Data;

namespace Switchboard.Portal;

/// <summary>What every portal page needs besides its own data: branding, where the portal lives, who is signed in, the form token.</summary>
public sealed record PageContext(Branding Branding, string Base, string PublicOrigin, CurrentCustomer? Customer, string FormToken, string Language)
{
    /// <summary>The form field the antiforgery check reads.</summary>
    public const string FormTokenField = "__RequestVerificationToken";

    /// <summary>This page's path and query without its language, for the language switch.</summary>
    public string Here { get; init; } = "";

    public string Url(string relative) => Base + relative;

    public string Absolute(string relative) => PublicOrigin + Base + relative;

    /// <summary>The portal's own wording in the page's language.</summary>
    public string T(string english) => Strings.Get(Language, english);

    /// <summary>The portal's wording in the page's language with values put in its {0}, {1}… places.</summary>
    public string F(string english, params object?[] args) => Strings.Format(Language, english, args);
}

internal static class Pages
{
    public static async Task<PageContext> ContextAsync(HttpContext http, SwitchboardDb db, CancellationToken ct, string? language = null)
    {
        var urls = http.RequestServices.GetRequiredService<PortalUrls>();
        var branding = await http.RequestServices.GetRequiredService<BrandingCache>().GetAsync(db, ct);
        var customer = await CustomerAuth.CurrentAsync(http, db, ct);
        var token = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";
        // Portal pages are not to be framed by other sites (clickjacking); contact forms set their own list.
        http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'";
        Languages.Remember(http, urls.Base);
        return new PageContext(branding, urls.Base, urls.PublicOrigin, customer, token, language ?? Languages.FromRequest(http, customer?.Language))
        {
            // A page answering a form post has no address of its own to switch; the switch then leads home.
            Here = HttpMethods.IsGet(http.Request.Method)
                ? http.Request.Path + new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(http.Request.Query.Where(q => q.Key != "lang")).ToQueryString()
                : urls.Base + "/",
        };
    }

    /// <summary>Renders a page component on the server (static rendering: no circuit, no interactivity).</summary>
    public static RazorComponentResult Render<TPage>(PageContext ctx, object? model, int status = StatusCodes.Status200OK)
        where TPage : IComponent
    {
        var parameters = new Dictionary<string, object?> { ["Ctx"] = ctx };
        if (model is not null) parameters["Model"] = model;
        return new RazorComponentResult<TPage>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };
    }

    /// <summary>
    /// A message built before the page's context exists, in the language the page will have
    /// (the customer, when <see cref="CustomerAuth.CurrentAsync"/> already ran for this request, counts).
    /// </summary>
    public static string Say(HttpContext http, string english, params object?[] args) =>
        Strings.Format(Languages.FromRequest(http, CustomerAuth.Cached(http)?.Language), english, args);

    public static IResult SeeOther(PageContext ctx, string relative) => Results.Redirect(ctx.Url(relative), permanent: false, preserveMethod: false);
}

/// <summary>Article languages and how a request picks one.</summary>
internal static class Languages
{
    public static readonly string[] Supported = ["en", "fil", "zh-Hans"];

    public static string Name(string code) => code switch
    {
        "en" => "English",
        "fil" => "Filipino",
        "zh-Hans" => "简体中文",
        _ => code,
    };

    /// <summary>A known code in its canonical spelling, or null.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var c = code.Trim();
        if (c.Equals("zh", StringComparison.OrdinalIgnoreCase) || c.StartsWith("zh-Hans", StringComparison.OrdinalIgnoreCase)
            || c.Equals("zh-CN", StringComparison.OrdinalIgnoreCase) || c.Equals("zh-SG", StringComparison.OrdinalIgnoreCase))
        {
            return "zh-Hans";
        }
        if (c.Equals("fil", StringComparison.OrdinalIgnoreCase) || c.Equals("tl", StringComparison.OrdinalIgnoreCase)
            || c.StartsWith("fil-", StringComparison.OrdinalIgnoreCase))
        {
            return "fil";
        }
        if (c.Equals("en", StringComparison.OrdinalIgnoreCase) || c.StartsWith("en-", StringComparison.OrdinalIgnoreCase)) return "en";
        return null;
    }

    /// <summary>The cookie that keeps the language last chosen with ?lang= in this browser.</summary>
    public const string Cookie = "portal_lang";

    /// <summary>
    /// ?lang= first, then the language last chosen in this browser, then the signed-in customer's
    /// preferred language, then the browser's Accept-Language, else English.
    /// </summary>
    public static string FromRequest(HttpContext http, string? preferred = null)
    {
        if (Normalize(http.Request.Query["lang"]) is { } q) return q;
        if (Normalize(http.Request.Cookies[Cookie]) is { } c) return c;
        if (Normalize(preferred) is { } p) return p;
        foreach (var part in http.Request.Headers.AcceptLanguage.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Normalize(part.Split(';')[0]) is { } l) return l;
        }
        return "en";
    }

    /// <summary>Keeps a language chosen with ?lang= for the following pages (a link or a form does not carry it).</summary>
    public static void Remember(HttpContext http, string basePath)
    {
        if (Normalize(http.Request.Query["lang"]) is { } chosen && http.Request.Cookies[Cookie] != chosen) Set(http, basePath, chosen);
    }

    public static void Set(HttpContext http, string basePath, string language) =>
        http.Response.Cookies.Append(Cookie, language, new CookieOptions
        {
            Path = basePath.Length == 0 ? "/" : basePath,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
}
