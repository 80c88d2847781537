using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Portal.Views;
using Switchboard.Tickets;

namespace Switchboard.Portal;

/// <summary>
/// Contact forms that open tickets, on their own page or framed in any allowed website (script tag or
/// iframe). A framed form cannot rely on cookies (browsers block them in third-party frames), so its
/// request-forgery token is a signed, expiring value in the form itself rather than the cookie pair
/// the portal's other forms use. Spam: a honeypot field and the per-address rate limit.
/// </summary>
internal static class FormPages
{
    private const string Purpose = "Switchboard.Portal.ContactForm";
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(4);

    public static void Map(RouteGroupBuilder portal)
    {
        portal.MapGet("/forms/{key}", ShowAsync);
        portal.MapPost("/forms/{key}", SubmitAsync).RequireRateLimiting(RateLimits.Post).DisableAntiforgery();
        portal.MapGet("/forms/{key}/embed.js", EmbedScriptAsync);
    }

    internal static IReadOnlyList<FormField> Fields(string json) =>
        JsonSerializer.Deserialize<List<FormField>>(json, JsonSerializerOptions.Web) ?? [];

    private static Task<ContactForm?> FindAsync(SwitchboardDb db, string key, CancellationToken ct) =>
        db.ContactForms.AsNoTracking().FirstOrDefaultAsync(f => f.Key == key && f.IsActive, ct);

    /// <summary>CSP frame-ancestors from the form's allowed origins: only those sites (and the portal itself) may frame it.</summary>
    private static void AllowFraming(HttpContext http, ContactForm form)
    {
        var origins = form.AllowedOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'" + (origins.Length == 0 ? "" : " " + string.Join(' ', origins));
    }

    private static async Task<IResult> RenderAsync(
        HttpContext http, SwitchboardDb db, ContactForm form, IReadOnlyDictionary<string, string> values, string? error, string? done, CancellationToken ct, int status = 200)
    {
        var ctx = await PageContextWithoutCookiesAsync(http, db, ct);
        var token = http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector()
            .Protect(form.Key, TokenLifetime);
        AllowFraming(http, form);
        return Pages.Render<ContactFormPage>(ctx, new ContactFormModel(form.Key, form.Name, Fields(form.FieldsJson), token, values, error, done), status);
    }

    /// <summary>A framed form sets no cookies: no session, no antiforgery cookie.</summary>
    private static async Task<PageContext> PageContextWithoutCookiesAsync(HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var urls = http.RequestServices.GetRequiredService<PortalUrls>();
        var branding = await http.RequestServices.GetRequiredService<BrandingCache>().GetAsync(db, ct);
        return new PageContext(branding, urls.Base, urls.PublicOrigin, null, "", Languages.FromRequest(http));
    }

    private static async Task<IResult> ShowAsync(string key, HttpContext http, SwitchboardDb db, CancellationToken ct)
    {
        var form = await FindAsync(db, key, ct);
        if (form is null) return Results.NotFound();
        return await RenderAsync(http, db, form, new Dictionary<string, string>(), null, null, ct);
    }

    private static async Task<IResult> SubmitAsync(
        string key, HttpContext http, SwitchboardDb db, IAttachmentStore store, TimeProvider time, IOptions<AttachmentOptions> attachments, CancellationToken ct)
    {
        var form = await FindAsync(db, key, ct);
        if (form is null) return Results.NotFound();
        if (!http.Request.HasFormContentType) return await RenderAsync(http, db, form, new Dictionary<string, string>(), "Send the form from its page.", null, ct, 400);
        IFormCollection posted;
        try
        {
            posted = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            // Past the upload limit, or not a form at all.
            return await RenderAsync(http, db, form, new Dictionary<string, string>(),
                Pages.Say(http, "The form could not be read; files may have at most {0} MB.", attachments.Value.MaxBytes / (1024 * 1024)), null, ct, 413);
        }
        var fields = Fields(form.FieldsJson);
        var values = fields.Where(f => f.Type != "file").ToDictionary(f => f.Name, f => posted[f.Name].ToString().Trim());
        try
        {
            var protector = http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();
            if (protector.Unprotect(posted["formToken"].ToString()) != form.Key) throw new System.Security.Cryptography.CryptographicException();
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return await RenderAsync(http, db, form, values, "The form expired. Please send it again.", null, ct, 400);
        }
        var done = form.SuccessMessage ?? Pages.Say(http, "Thank you. We received your message and will answer by email.");
        // Bots fill every field; people never see this one. The bot is told it worked, and nothing is kept.
        if (posted["website"].ToString().Length > 0) return await RenderAsync(http, db, form, values, null, done, ct);

        var missing = fields.Where(f => f.Required && (f.Type == "file" ? posted.Files[f.Name] is not { Length: > 0 } : values[f.Name].Length == 0)).ToList();
        if (missing.Count > 0) return await RenderAsync(http, db, form, values, Pages.Say(http, "Please fill in: {0}.", string.Join(", ", missing.Select(f => f.Label))), null, ct, 400);
        var body = new StringBuilder();
        foreach (var f in fields.Where(f => f.Type is not "file"))
        {
            var value = values[f.Name];
            if (value.Length > 20_000) value = value[..20_000];
            if (f.Type == "select" && value.Length > 0 && f.Options is { } options && !options.Contains(value))
            {
                return await RenderAsync(http, db, form, values, Pages.Say(http, "Choose one of the options for {0}.", f.Label), null, ct, 400);
            }
            body.Append(f.Label).Append(": ").AppendLine(f.Type == "checkbox" ? (value == "yes" ? "yes" : "no") : value);
        }
        var emailField = fields.FirstOrDefault(f => f.Type == "email");
        var now = time.GetUtcNow();
        Contact contact;
        try
        {
            var name = values.GetValueOrDefault("name");
            contact = await Contacts.FindOrCreateAsync(db, IdentityType.Email, emailField is null ? "" : values[emailField.Name], null, name, now, ct);
            if (contact.Id == 0) await db.SaveChangesAsync(ct);
        }
        catch (ProblemException)
        {
            return await RenderAsync(http, db, form, values, "Please give a valid email address so we can answer you.", null, ct, 400);
        }
        var message = new Message { Channel = Channel.Form, AuthorContactId = contact.Id, BodyText = body.ToString().TrimEnd(), CreatedAt = now, FromAddress = contact.Identities.FirstOrDefault()?.Value };
        foreach (var f in fields.Where(f => f.Type == "file"))
        {
            if (posted.Files[f.Name] is not { Length: > 0 } file) continue;
            StoredFile stored;
            try
            {
                await using var stream = file.OpenReadStream();
                stored = await store.SaveAsync(stream, ct);
            }
            catch (FileTooLargeException e)
            {
                return await RenderAsync(http, db, form, values, e.Message, null, ct, 413);
            }
            message.Attachments.Add(new Attachment
            {
                FileName = Path.GetFileName(file.FileName) is { Length: > 0 } n ? (n.Length > 255 ? n[..255] : n) : "file",
                ContentType = string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType,
                Size = stored.Size,
                Sha256 = stored.Sha256,
                CreatedAt = now,
            });
        }
        var subject = values.GetValueOrDefault("subject") is { Length: > 0 } s ? s : form.Name;
        var ticket = TicketIntake.Open(db, contact, subject, message, form.DepartmentId, now);
        await db.SaveChangesAsync(ct);
        return await RenderAsync(http, db, form, new Dictionary<string, string>(), null, Pages.Say(http, "{0} (Reference #{1})", done, ticket.Id), ct);
    }

    private static async Task<IResult> EmbedScriptAsync(string key, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var form = await FindAsync(db, key, ct);
        if (form is null) return Results.NotFound();
        var src = JsonSerializer.Serialize(urls.Absolute("/forms/" + form.Key));
        var script = $$"""
            (function () {
              var me = document.currentScript;
              var frame = document.createElement('iframe');
              frame.src = {{src}};
              frame.title = {{JsonSerializer.Serialize(form.Name)}};
              frame.style.cssText = 'width:100%;border:0;min-height:420px';
              frame.setAttribute('loading', 'lazy');
              me.parentNode.insertBefore(frame, me.nextSibling);
              window.addEventListener('message', function (e) {
                if (e.source === frame.contentWindow && e.data && e.data.switchboardForm === {{JsonSerializer.Serialize(form.Key)}}) {
                  frame.style.height = Math.min(4000, Number(e.data.height) || 420) + 'px';
                }
              });
            })();
            """;
        return Results.Text(script, "text/javascript; charset=utf-8");
    }
}
