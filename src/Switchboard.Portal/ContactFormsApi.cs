using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;
using Switchboard.Portal.Views;

namespace Switchboard.Portal;

public sealed record ContactFormRequest(
    string? Name, long? DepartmentId, IReadOnlyList<FormField>? Fields, IReadOnlyList<string>? AllowedOrigins, string? SuccessMessage, bool? IsActive);

public sealed record ContactFormDto(
    long Id, string Key, string Name, long? DepartmentId, IReadOnlyList<FormField> Fields, IReadOnlyList<string> AllowedOrigins, string? SuccessMessage,
    bool IsActive, string Url, string EmbedScript, string EmbedIframe);

/// <summary>Contact forms (administrators): fields, department, the sites that may embed them, and the snippets to embed them with.</summary>
internal static class ContactFormsApi
{
    private static readonly HashSet<string> FieldTypes = ["text", "textarea", "email", "select", "checkbox", "file"];

    public static void Map(RouteGroupBuilder api)
    {
        var forms = api.MapGroup("/contact-forms").WithTags("Contact forms").RequireAuthorization(Policies.Agent);
        forms.MapGet("/", ListAsync);
        forms.MapGet("/{id:long}", GetAsync);
        forms.MapPost("/", CreateAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Fields: [{name, label, type: text|textarea|email|select|checkbox|file, required, options}]; one email field is required (the customer's address).");
        forms.MapPut("/{id:long}", UpdateAsync).RequireAuthorization(Policies.Admin);
        forms.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Admin);
    }

    private static ContactFormDto ToDto(ContactForm f, PortalUrls urls)
    {
        var url = urls.Absolute("/forms/" + f.Key);
        return new ContactFormDto(f.Id, f.Key, f.Name, f.DepartmentId, FormPages.Fields(f.FieldsJson),
            f.AllowedOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries), f.SuccessMessage, f.IsActive, url,
            $"<script src=\"{url}/embed.js\" async></script>",
            $"<iframe src=\"{url}\" title=\"{System.Net.WebUtility.HtmlEncode(f.Name)}\" style=\"width:100%;min-height:480px;border:0\"></iframe>");
    }

    private static async Task<Ok<ItemsDto<ContactFormDto>>> ListAsync(SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var forms = await db.ContactForms.AsNoTracking().OrderBy(f => f.Name).ToListAsync(ct);
        return TypedResults.Ok(new ItemsDto<ContactFormDto>(forms.Select(f => ToDto(f, urls)).ToList()));
    }

    private static async Task<Ok<ContactFormDto>> GetAsync(long id, SwitchboardDb db, PortalUrls urls, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await db.ContactForms.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw ProblemException.NotFound($"Contact form {id}"), urls));

    private static async Task ApplyAsync(SwitchboardDb db, ContactForm form, ContactFormRequest request, bool creating, CancellationToken ct)
    {
        if (creating || request.Name is not null)
        {
            var name = request.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200) throw ProblemException.Invalid("name", "A form needs a name of 1 to 200 characters.");
            form.Name = name;
        }
        if (request.DepartmentId is { } departmentId)
        {
            if (!await db.Departments.AnyAsync(d => d.Id == departmentId, ct)) throw ProblemException.Invalid("departmentId", $"Department {departmentId} does not exist.");
            form.DepartmentId = departmentId;
        }
        if (creating || request.Fields is not null)
        {
            var fields = request.Fields ?? [];
            if (fields.Count is 0 or > 50) throw ProblemException.Invalid("fields", "A form needs 1 to 50 fields.");
            var names = new HashSet<string>(StringComparer.Ordinal);
            var clean = new List<FormField>();
            foreach (var f in fields)
            {
                var name = f.Name?.Trim() ?? "";
                if (name.Length is 0 or > 50 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || name is "website" or "formToken")
                {
                    throw ProblemException.Invalid("fields", $"Field name '{name}' must have 1 to 50 letters, digits, '-' or '_' (and not be 'website' or 'formToken').");
                }
                if (!names.Add(name)) throw ProblemException.Invalid("fields", $"Two fields are named '{name}'.");
                var type = (f.Type ?? "text").Trim().ToLowerInvariant();
                if (!FieldTypes.Contains(type)) throw ProblemException.Invalid("fields", $"Field '{name}' has type '{type}'; use text, textarea, email, select, checkbox or file.");
                var options = f.Options?.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct().ToList();
                if (type == "select" && options is not { Count: > 0 }) throw ProblemException.Invalid("fields", $"The select field '{name}' needs options.");
                var label = string.IsNullOrWhiteSpace(f.Label) ? name : f.Label.Trim();
                clean.Add(new FormField(name, label.Length > 200 ? label[..200] : label, type, f.Required, type == "select" ? options : null));
            }
            if (clean.Count(f => f.Type == "email") != 1) throw ProblemException.Invalid("fields", "A form needs exactly one email field: the address we answer.");
            if (!clean.Single(f => f.Type == "email").Required) clean[clean.FindIndex(f => f.Type == "email")] = clean.Single(f => f.Type == "email") with { Required = true };
            form.FieldsJson = JsonSerializer.Serialize(clean, JsonSerializerOptions.Web);
        }
        if (request.AllowedOrigins is { } origins)
        {
            var clean = new List<string>();
            foreach (var o in origins)
            {
                if (!Uri.TryCreate(o?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/")
                {
                    throw ProblemException.Invalid("allowedOrigins", $"'{o}' is not an origin such as https://www.example.com.");
                }
                clean.Add(uri.GetLeftPart(UriPartial.Authority));
            }
            form.AllowedOrigins = string.Join(' ', clean.Distinct());
            if (form.AllowedOrigins.Length > 2000) throw ProblemException.Invalid("allowedOrigins", "Too many allowed origins.");
        }
        if (request.SuccessMessage is not null) form.SuccessMessage = request.SuccessMessage.Trim() is { Length: > 0 } m ? (m.Length > 1000 ? m[..1000] : m) : null;
        if (request.IsActive is { } active) form.IsActive = active;
    }

    private static async Task<Created<ContactFormDto>> CreateAsync(ContactFormRequest request, SwitchboardDb db, PortalUrls urls, TimeProvider time, CancellationToken ct)
    {
        var form = new ContactForm { Key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), Name = "", CreatedAt = time.GetUtcNow() };
        await ApplyAsync(db, form, request, creating: true, ct);
        db.ContactForms.Add(form);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/contact-forms/{form.Id}", ToDto(form, urls));
    }

    private static async Task<Ok<ContactFormDto>> UpdateAsync(long id, ContactFormRequest request, SwitchboardDb db, PortalUrls urls, CancellationToken ct)
    {
        var form = await db.ContactForms.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw ProblemException.NotFound($"Contact form {id}");
        await ApplyAsync(db, form, request, creating: false, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(form, urls));
    }

    private static async Task<NoContent> DeleteAsync(long id, SwitchboardDb db, CancellationToken ct)
    {
        if (await db.ContactForms.Where(f => f.Id == id).ExecuteDeleteAsync(ct) == 0) throw ProblemException.NotFound($"Contact form {id}");
        return TypedResults.NoContent();
    }
}
