using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Switchboard.Portal;

/// <summary>
/// Errors the host answers on its own for portal pages (a form whose antiforgery token expired, too
/// many requests, an address that matches no page, a failure) reach a browser as a short page in the
/// reader's language rather than as JSON. API clients and anything outside the portal keep problem details.
/// </summary>
internal sealed class ErrorPages(IOptions<PortalOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        return request.Path.StartsWithSegments(options.Value.Path, StringComparison.OrdinalIgnoreCase)
            && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var language = Languages.FromRequest(http, CustomerAuth.Cached(http)?.Language);
        var (title, text) = (context.ProblemDetails.Status ?? http.Response.StatusCode) switch
        {
            StatusCodes.Status400BadRequest => ("This link does not work", "The form expired. Please go back, reload the page and send it again."),
            StatusCodes.Status404NotFound => ("Not found", "This page does not exist or you do not have access to it."),
            StatusCodes.Status429TooManyRequests => ("Too many requests", "You sent too many requests in a short time. Wait a minute and try again."),
            _ => ("Something went wrong", "This page could not be shown. Please try again in a moment."),
        };
        var home = options.Value.Path + "/";
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            $$"""
            <!DOCTYPE html>
            <html lang="{{language}}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
            <title>{{E(Strings.Get(language, title))}}</title>
            <style>body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; } .error { color: #a11; background: #fde8e8; padding: .5rem; border-radius: 4px; }</style>
            </head>
            <body>
            <h1>{{E(Strings.Get(language, title))}}</h1>
            <p class="error" role="alert">{{E(Strings.Get(language, text))}}</p>
            <p><a href="{{E(home)}}">{{E(Strings.Get(language, "Back to the help center"))}}</a></p>
            </body>
            </html>
            """, http.RequestAborted);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
