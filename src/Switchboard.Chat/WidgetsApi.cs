using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Switchboard.Core.Api;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Chat;

public sealed record WidgetRequest(
    string? Name, long? DepartmentId, string[]? AllowedOrigins, PreChatFieldDto[]? PreChatFields, string? RoutingMode,
    int? RingTimeoutSeconds, int? MaxQueueWaitSeconds, InvitationDto[]? Invitations, long? MaxFileBytes, string[]? AllowedFileTypes);

/// <summary>A widget's settings. <see cref="IdentitySecret"/> is present only when created, rotated or asked for.</summary>
public sealed record WidgetDto(
    long Id, string Name, string PublicKey, long? DepartmentId, string[] AllowedOrigins, IReadOnlyList<PreChatFieldDto> PreChatFields,
    ChatRoutingMode RoutingMode, int RingTimeoutSeconds, int MaxQueueWaitSeconds, IReadOnlyList<InvitationDto> Invitations,
    long MaxFileBytes, string[] AllowedFileTypes, string Snippet, string? IdentitySecret, DateTimeOffset CreatedAt);

/// <summary>Administrators manage chat widgets: one per website, with its key, allowed sites and routing.</summary>
internal static class WidgetsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/chat/widgets").WithTags("Chat widgets").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
                TypedResults.Ok(new ItemsDto<WidgetDto>(await widgets.ListAsync(Me(http), Origin(http), ct))))
            .WithSummary("Chat widgets (without their secrets).");
        group.MapPost("/", async (WidgetRequest request, HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
            {
                var widget = await widgets.CreateAsync(Me(http), request, Origin(http), ct);
                return TypedResults.Created($"/api/v1/chat/widgets/{widget.Id}", widget);
            })
            .WithSummary("Create a widget; the answer shows its identity-signing secret and the embed snippet.");
        group.MapGet("/{id:long}", async (long id, HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
                TypedResults.Ok(await widgets.GetAsync(Me(http), id, false, Origin(http), ct)))
            .WithSummary("One widget (without its secret).");
        group.MapPatch("/{id:long}", async (long id, WidgetRequest request, HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
                TypedResults.Ok(await widgets.UpdateAsync(Me(http), id, request, Origin(http), ct)))
            .WithSummary("Change a widget's settings.");
        group.MapDelete("/{id:long}", async Task<NoContent> (long id, HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
            {
                await widgets.DeleteAsync(Me(http), id, ct);
                return TypedResults.NoContent();
            })
            .WithSummary("Delete a widget; its chats' tickets stay.");
        group.MapGet("/{id:long}/secret", async (long id, HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(await widgets.GetAsync(Me(http), id, true, Origin(http), ct));
            })
            .WithSummary("Show the identity-signing secret.");
        group.MapPost("/{id:long}/secret", async (long id, HttpContext http, ChatWidgetAdmin widgets, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(await widgets.RotateSecretAsync(Me(http), id, Origin(http), ct));
            })
            .WithSummary("Replace the identity-signing secret; signatures made with the old one stop working.");
    }

    private static CurrentAgent Me(HttpContext http) => CurrentAgent.From(http.User)!;

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";
}

/// <summary>
/// Chat widgets' settings for administrators, over the API and in the workspace. The embed snippet
/// points at Switchboard:PublicUrl when set, otherwise at the origin the administrator reached.
/// </summary>
public sealed class ChatWidgetAdmin
{
    private readonly SwitchboardDb _db;
    private readonly TimeProvider _time;
    private readonly WidgetCache _cache;
    private readonly IConfiguration _configuration;

    internal ChatWidgetAdmin(SwitchboardDb db, TimeProvider time, WidgetCache cache, IConfiguration configuration)
    {
        _db = db;
        _time = time;
        _cache = cache;
        _configuration = configuration;
    }

    public async Task<IReadOnlyList<WidgetDto>> ListAsync(CurrentAgent me, string origin, CancellationToken ct)
    {
        Admin(me);
        var widgets = await _db.ChatWidgets.AsNoTracking().OrderBy(w => w.Id).ToListAsync(ct);
        return widgets.Select(w => ToDto(w, origin, false)).ToList();
    }

    /// <summary>A new widget; the answer carries its identity secret.</summary>
    public async Task<WidgetDto> CreateAsync(CurrentAgent me, WidgetRequest request, string origin, CancellationToken ct)
    {
        Admin(me);
        var widget = new ChatWidget
        {
            Name = Parse.Text(request.Name, "name", 200),
            PublicKey = IdentitySignature.NewKey(),
            IdentitySecret = IdentitySignature.NewSecret(),
            CreatedAt = _time.GetUtcNow(),
        };
        await ApplyAsync(widget, request, ct);
        _db.ChatWidgets.Add(widget);
        await _db.SaveChangesAsync(ct);
        return ToDto(widget, origin, true);
    }

    public async Task<WidgetDto> GetAsync(CurrentAgent me, long id, bool withSecret, string origin, CancellationToken ct)
    {
        Admin(me);
        return ToDto(await LoadAsync(id, ct), origin, withSecret);
    }

    public async Task<WidgetDto> UpdateAsync(CurrentAgent me, long id, WidgetRequest request, string origin, CancellationToken ct)
    {
        Admin(me);
        var widget = await LoadAsync(id, ct);
        if (request.Name is not null) widget.Name = Parse.Text(request.Name, "name", 200);
        await ApplyAsync(widget, request, ct);
        await _db.SaveChangesAsync(ct);
        _cache.Forget(widget.PublicKey);
        return ToDto(widget, origin, false);
    }

    public async Task DeleteAsync(CurrentAgent me, long id, CancellationToken ct)
    {
        Admin(me);
        var widget = await LoadAsync(id, ct);
        _db.ChatWidgets.Remove(widget);
        await _db.SaveChangesAsync(ct);
        _cache.Forget(widget.PublicKey);
    }

    public async Task<WidgetDto> RotateSecretAsync(CurrentAgent me, long id, string origin, CancellationToken ct)
    {
        Admin(me);
        var widget = await LoadAsync(id, ct);
        widget.IdentitySecret = IdentitySignature.NewSecret();
        await _db.SaveChangesAsync(ct);
        _cache.Forget(widget.PublicKey);
        return ToDto(widget, origin, true);
    }

    private static void Admin(CurrentAgent me)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!me.IsAdmin) throw ProblemException.Forbidden("Only administrators can manage chat widgets.");
    }

    private async Task<ChatWidget> LoadAsync(long id, CancellationToken ct) =>
        await _db.ChatWidgets.FirstOrDefaultAsync(w => w.Id == id, ct) ?? throw ProblemException.NotFound($"Chat widget {id}");

    private async Task ApplyAsync(ChatWidget widget, WidgetRequest r, CancellationToken ct)
    {
        if (r.DepartmentId is { } dept)
        {
            if (!await _db.Departments.AnyAsync(d => d.Id == dept, ct)) throw ProblemException.Invalid("departmentId", $"Department {dept} does not exist.");
            widget.DepartmentId = dept;
        }
        if (r.AllowedOrigins is not null)
        {
            if (r.AllowedOrigins.Length > 100) throw ProblemException.Invalid("allowedOrigins", "A widget can list at most 100 sites.");
            widget.AllowedOrigins = string.Join('\n', r.AllowedOrigins.Select(Origins.Normalize).Distinct());
        }
        if (r.PreChatFields is not null)
        {
            if (r.PreChatFields.Length > 20) throw ProblemException.Invalid("preChatFields", "A widget can ask at most 20 extra questions.");
            var fields = r.PreChatFields.Select(f => new PreChatField(
                Key(f.Key), Parse.Text(f.Label, "label", 200), f.Required)).ToList();
            if (fields.Select(f => f.Key).Distinct().Count() != fields.Count) throw ProblemException.Invalid("preChatFields", "Each pre-chat field needs its own key.");
            widget.PreChatFields = JsonSerializer.Serialize(fields, WidgetInfo.Json);
        }
        if (r.RoutingMode is not null) widget.RoutingMode = Parse.Enum<ChatRoutingMode>(r.RoutingMode.Replace("-", "", StringComparison.Ordinal), "routingMode");
        if (r.RingTimeoutSeconds is { } ring)
        {
            if (ring is < 5 or > 600) throw ProblemException.Invalid("ringTimeoutSeconds", "The ring timeout must be 5 to 600 seconds.");
            widget.RingTimeoutSeconds = ring;
        }
        if (r.MaxQueueWaitSeconds is { } wait)
        {
            if (wait is < 10 or > 86_400) throw ProblemException.Invalid("maxQueueWaitSeconds", "The longest queue wait must be 10 seconds to a day.");
            widget.MaxQueueWaitSeconds = wait;
        }
        if (r.Invitations is not null)
        {
            if (r.Invitations.Length > 20) throw ProblemException.Invalid("invitations", "A widget can have at most 20 invitation rules.");
            var rules = r.Invitations.Select(i => new InvitationRule(
                Parse.Text(i.Path, "path", 500).StartsWith('/') ? i.Path.Trim() : throw ProblemException.Invalid("path", "An invitation's path starts with '/', e.g. /pricing."),
                i.AfterSeconds is >= 0 and <= 3600 ? i.AfterSeconds : throw ProblemException.Invalid("afterSeconds", "An invitation waits 0 to 3,600 seconds."),
                Parse.Text(i.Message, "message", 500))).ToList();
            widget.Invitations = JsonSerializer.Serialize(rules, WidgetInfo.Json);
        }
        if (r.MaxFileBytes is { } max)
        {
            if (max is < 0 or > 100L * 1024 * 1024) throw ProblemException.Invalid("maxFileBytes", "The file limit must be 0 (no files) to 100 MB.");
            widget.MaxFileBytes = max;
        }
        if (r.AllowedFileTypes is not null) widget.AllowedFileTypes = string.Join(',', r.AllowedFileTypes.Select(t => Parse.Text(t, "allowedFileTypes", 100).ToLowerInvariant()));
    }

    private static string Key(string? key)
    {
        var k = Parse.Text(key, "key", 50);
        if (!k.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) throw ProblemException.Invalid("key", $"'{k}' is not a field key; use letters, digits, '-' or '_'.");
        return k;
    }

    private WidgetDto ToDto(ChatWidget w, string origin, bool withSecret)
    {
        var info = WidgetInfo.From(w);
        var host = (_configuration["Switchboard:PublicUrl"] ?? origin).TrimEnd('/');
        var snippet = $"<script src=\"{host}/widget.js\" data-widget=\"{w.PublicKey}\" async></script>";
        return new WidgetDto(w.Id, w.Name, w.PublicKey, w.DepartmentId, info.AllowedOrigins,
            info.PreChatFields.Select(f => new PreChatFieldDto(f.Key, f.Label, f.Required)).ToList(), w.RoutingMode, w.RingTimeoutSeconds,
            w.MaxQueueWaitSeconds, info.Invitations.Select(i => new InvitationDto(i.Path, i.AfterSeconds, i.Message)).ToList(),
            w.MaxFileBytes, info.AllowedFileTypes, snippet, withSecret ? w.IdentitySecret : null, w.CreatedAt);
    }
}
